package io.livehub.isobmff;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;

/**
 * Holds the brands of a {@code ftyp} (ISO/IEC 14496-12 §4.3) or {@code styp} (§8.16.2) box and
 * writes either box.
 *
 * <p>The defaults are chosen for fMP4 HLS and CMAF players:
 * <ul>
 *   <li>{@link #INIT}, the {@code ftyp} of an init segment: major brand {@code iso6}, the ISO
 *       brand whose toolset covers {@code tfdt}, default-base-is-moof and signed composition
 *       offsets (trun version 1), all of which the fragments use; compatible {@code iso6},
 *       {@code cmfc} (CMAF header, ISO/IEC 23000-19 §7.2), {@code isom} and {@code mp41} so that
 *       older readers that look for a brand they know still open the file. A strictly CMAF
 *       header holds one track; an init segment with muxed audio and video is valid ISO-BMFF
 *       and plays in HLS players, which ignore the brand.
 *   <li>{@link #SEGMENT}, the {@code styp} of a media segment: {@code msdh} (media segment,
 *       §8.16 and DASH) and {@code cmfs}/{@code cmff} (CMAF segment and fragment). Not
 *       {@code msix}, which promises a {@code sidx}; these segments have none.
 * </ul>
 *
 * <p>Thread-safety: immutable.
 *
 * @param majorBrand the {@code major_brand}
 * @param minorVersion the {@code minor_version}
 * @param compatibleBrands the {@code compatible_brands}
 */
public record FileType(String majorBrand, long minorVersion, List<String> compatibleBrands) {

    /** The {@code ftyp} of an init segment; see the class notes. */
    public static final FileType INIT = new FileType("iso6", 0, List.of("iso6", "cmfc", "isom", "mp41"));
    /** The {@code styp} of a media segment; see the class notes. */
    public static final FileType SEGMENT = new FileType("msdh", 0, List.of("msdh", "cmfs", "cmff"));

    public FileType {
        BoxWriter.fourCc(majorBrand);
        compatibleBrands = List.copyOf(compatibleBrands);
        compatibleBrands.forEach(BoxWriter::fourCc);
        if (minorVersion < 0 || minorVersion > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("minor_version is 32 bits: " + minorVersion);
        }
    }

    /** Returns the size of the box this type writes. */
    public int length() {
        return BoxWriter.HEADER_LENGTH + 8 + 4 * compatibleBrands.size();
    }

    /** Writes a {@code ftyp} box (§4.3.2). Ownership: {@code out} is borrowed. */
    public void writeFtyp(ByteBuf out) {
        write(new BoxWriter(out), "ftyp");
    }

    /** Writes a {@code styp} box (§8.16.2), laid out as {@code ftyp}. Ownership: {@code out} is borrowed. */
    public void writeStyp(ByteBuf out) {
        write(new BoxWriter(out), "styp");
    }

    void write(BoxWriter w, String boxType) {
        Objects.requireNonNull(w, "w");
        w.begin(boxType).fourCcField(majorBrand).u32(minorVersion);
        for (String brand : compatibleBrands) {
            w.fourCcField(brand);
        }
        w.end();
    }
}

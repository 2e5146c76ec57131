package io.livehub.codec.h264;

import io.livehub.codec.ByteArrays;
import io.livehub.codec.ByteReader;
import io.livehub.media.MalformedMediaException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Holds an {@code AVCDecoderConfigurationRecord}, the {@code avcC} box payload and the
 * RTMP/FLV AVC sequence header (ISO/IEC 14496-15 §5.3.3.1).
 *
 * <p>Immutable: the parameter set arrays are copied in and out.
 *
 * @param profileIndication {@code AVCProfileIndication}, the SPS {@code profile_idc}
 * @param profileCompatibility {@code profile_compatibility}, the SPS constraint flag byte
 * @param levelIndication {@code AVCLevelIndication}, the SPS {@code level_idc}
 * @param nalUnitLengthSize {@code lengthSizeMinusOne} + 1: 1, 2 or 4
 * @param sequenceParameterSets the SPS NAL units, header byte included
 * @param pictureParameterSets the PPS NAL units, header byte included
 * @param extension the fields that follow the PPS for high profiles, or null when absent
 */
public record AvcDecoderConfigurationRecord(
        int profileIndication,
        int profileCompatibility,
        int levelIndication,
        int nalUnitLengthSize,
        List<byte[]> sequenceParameterSets,
        List<byte[]> pictureParameterSets,
        Extension extension) {

    /**
     * Holds the fields of §5.3.3.1.2 that follow the PPS when the profile is not Baseline,
     * Main or Extended.
     *
     * @param chromaFormat {@code chroma_format}, the SPS {@code chroma_format_idc}
     * @param bitDepthLumaMinus8 {@code bit_depth_luma_minus8}
     * @param bitDepthChromaMinus8 {@code bit_depth_chroma_minus8}
     * @param sequenceParameterSetExts the SPS extension NAL units
     */
    public record Extension(int chromaFormat, int bitDepthLumaMinus8, int bitDepthChromaMinus8,
            List<byte[]> sequenceParameterSetExts) {

        public Extension {
            checkRange("chroma_format", chromaFormat, 3);
            checkRange("bit_depth_luma_minus8", bitDepthLumaMinus8, 7);
            checkRange("bit_depth_chroma_minus8", bitDepthChromaMinus8, 7);
            sequenceParameterSetExts = copy(sequenceParameterSetExts, 255, "SPS extensions");
        }

        @Override
        public List<byte[]> sequenceParameterSetExts() {
            return copy(sequenceParameterSetExts, 255, "SPS extensions");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Extension e && chromaFormat == e.chromaFormat
                    && bitDepthLumaMinus8 == e.bitDepthLumaMinus8
                    && bitDepthChromaMinus8 == e.bitDepthChromaMinus8
                    && ByteArrays.equals(sequenceParameterSetExts, e.sequenceParameterSetExts);
        }

        @Override
        public int hashCode() {
            return Objects.hash(chromaFormat, bitDepthLumaMinus8, bitDepthChromaMinus8,
                    ByteArrays.hashCode(sequenceParameterSetExts));
        }

        @Override
        public String toString() {
            return "Extension[chromaFormat=" + chromaFormat + ", bitDepthLumaMinus8=" + bitDepthLumaMinus8
                    + ", bitDepthChromaMinus8=" + bitDepthChromaMinus8 + ", sequenceParameterSetExts="
                    + sequenceParameterSetExts.size() + "]";
        }
    }

    public AvcDecoderConfigurationRecord {
        checkRange("AVCProfileIndication", profileIndication, 255);
        checkRange("profile_compatibility", profileCompatibility, 255);
        checkRange("AVCLevelIndication", levelIndication, 255);
        if (nalUnitLengthSize != 1 && nalUnitLengthSize != 2 && nalUnitLengthSize != 4) {
            throw new IllegalArgumentException("NAL unit length size must be 1, 2 or 4: " + nalUnitLengthSize);
        }
        // numOfSequenceParameterSets is a 5-bit field.
        sequenceParameterSets = copy(sequenceParameterSets, 31, "SPS");
        pictureParameterSets = copy(pictureParameterSets, 255, "PPS");
    }

    /**
     * Builds a record from parameter sets, taking profile, level and the extension fields
     * from the first SPS, with 4-byte NAL unit lengths.
     *
     * @throws MalformedMediaException if there is no SPS or the first one does not parse
     */
    public static AvcDecoderConfigurationRecord of(List<byte[]> sps, List<byte[]> pps) {
        if (sps.isEmpty()) {
            throw new MalformedMediaException("an AVC configuration needs at least one SPS");
        }
        H264Sps first = H264Sps.parse(sps.get(0));
        Extension ext = null;
        if (hasExtension(first.profileIdc())) {
            ext = new Extension(first.chromaFormatIdc(), first.bitDepthLuma() - 8,
                    first.bitDepthChroma() - 8, List.of());
        }
        return new AvcDecoderConfigurationRecord(first.profileIdc(), first.constraintFlags(),
                first.levelIdc(), 4, sps, pps, ext);
    }

    /**
     * Parses an {@code AVCDecoderConfigurationRecord} (§5.3.3.1.2). The high-profile
     * extension is read when bytes follow the PPS and the profile allows it; many muxers
     * leave it out, so its absence is not an error.
     *
     * @throws MalformedMediaException if it is truncated, a length runs past the end, or a
     *     field has a value the specification forbids
     */
    public static AvcDecoderConfigurationRecord parse(byte[] data) {
        ByteReader c = new ByteReader(data, "AVCDecoderConfigurationRecord");
        int version = c.u8();
        if (version != 1) {
            throw new MalformedMediaException("unsupported AVC configurationVersion " + version);
        }
        int profile = c.u8();
        int compatibility = c.u8();
        int level = c.u8();
        int lengthSizeMinusOne = c.u8() & 0x03;
        if (lengthSizeMinusOne == 2) {
            throw new MalformedMediaException("AVC lengthSizeMinusOne 2 is not allowed");
        }
        int numSps = c.u8() & 0x1F;
        List<byte[]> sps = new ArrayList<>(numSps);
        for (int i = 0; i < numSps; i++) {
            sps.add(c.bytes(c.u16()));
        }
        int numPps = c.u8();
        List<byte[]> pps = new ArrayList<>(numPps);
        for (int i = 0; i < numPps; i++) {
            pps.add(c.bytes(c.u16()));
        }
        Extension ext = null;
        if (hasExtension(profile) && c.remaining() > 0) {
            int chroma = c.u8() & 0x03;
            int luma = c.u8() & 0x07;
            int chromaDepth = c.u8() & 0x07;
            int numExt = c.u8();
            List<byte[]> exts = new ArrayList<>(numExt);
            for (int i = 0; i < numExt; i++) {
                exts.add(c.bytes(c.u16()));
            }
            ext = new Extension(chroma, luma, chromaDepth, exts);
        }
        return new AvcDecoderConfigurationRecord(profile, compatibility, level,
                lengthSizeMinusOne + 1, sps, pps, ext);
    }

    /** Writes the record in the layout of §5.3.3.1.2, reserved bits set to 1. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(profileIndication);
        out.write(profileCompatibility);
        out.write(levelIndication);
        out.write(0xFC | (nalUnitLengthSize - 1));
        out.write(0xE0 | sequenceParameterSets.size());
        writeUnits(out, sequenceParameterSets);
        out.write(pictureParameterSets.size());
        writeUnits(out, pictureParameterSets);
        if (extension != null) {
            out.write(0xFC | extension.chromaFormat);
            out.write(0xF8 | extension.bitDepthLumaMinus8);
            out.write(0xF8 | extension.bitDepthChromaMinus8);
            out.write(extension.sequenceParameterSetExts.size());
            writeUnits(out, extension.sequenceParameterSetExts);
        }
        return out.toByteArray();
    }

    /** Returns the RFC 6381 §3.3 codecs parameter, e.g. {@code avc1.64001f}. */
    public String codecString() {
        return H264Sps.codecString(profileIndication, profileCompatibility, levelIndication);
    }

    @Override
    public List<byte[]> sequenceParameterSets() {
        return copy(sequenceParameterSets, 31, "SPS");
    }

    @Override
    public List<byte[]> pictureParameterSets() {
        return copy(pictureParameterSets, 255, "PPS");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvcDecoderConfigurationRecord r
                && profileIndication == r.profileIndication
                && profileCompatibility == r.profileCompatibility
                && levelIndication == r.levelIndication
                && nalUnitLengthSize == r.nalUnitLengthSize
                && ByteArrays.equals(sequenceParameterSets, r.sequenceParameterSets)
                && ByteArrays.equals(pictureParameterSets, r.pictureParameterSets)
                && Objects.equals(extension, r.extension);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profileIndication, profileCompatibility, levelIndication, nalUnitLengthSize,
                ByteArrays.hashCode(sequenceParameterSets), ByteArrays.hashCode(pictureParameterSets), extension);
    }

    @Override
    public String toString() {
        return "AvcDecoderConfigurationRecord[" + codecString() + ", nalUnitLengthSize=" + nalUnitLengthSize
                + ", sps=" + sequenceParameterSets.size() + ", pps=" + pictureParameterSets.size()
                + ", extension=" + extension + "]";
    }

    /**
     * Returns true when §5.3.3.1.2 has the extension fields follow the PPS: every profile
     * but Baseline (66), Main (77) and Extended (88).
     */
    private static boolean hasExtension(int profileIdc) {
        return profileIdc != 66 && profileIdc != 77 && profileIdc != 88;
    }

    private static void writeUnits(ByteArrayOutputStream out, List<byte[]> units) {
        for (byte[] u : units) {
            out.write(u.length >>> 8);
            out.write(u.length);
            out.write(u, 0, u.length);
        }
    }

    private static List<byte[]> copy(List<byte[]> units, int max, String what) {
        if (units.size() > max) {
            throw new IllegalArgumentException("too many " + what + ": " + units.size() + " > " + max);
        }
        for (byte[] u : units) {
            if (u.length > 0xFFFF) {
                throw new IllegalArgumentException(what + " NAL unit longer than 65535 bytes: " + u.length);
            }
        }
        return ByteArrays.copyOf(units);
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0.." + max + ": " + value);
        }
    }
}

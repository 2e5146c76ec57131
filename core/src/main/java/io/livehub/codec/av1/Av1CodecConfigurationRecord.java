package io.livehub.codec.av1;

import io.livehub.codec.ByteReader;
import io.livehub.media.MalformedMediaException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Holds an {@code AV1CodecConfigurationRecord}, the {@code av1C} box payload and the
 * enhanced-RTMP AV1 sequence header (AV1-ISOBMFF §2.3.3).
 *
 * <p>Immutable: {@code configObus} is copied in and out.
 *
 * @param seqProfile {@code seq_profile}
 * @param seqLevelIdx0 {@code seq_level_idx_0}
 * @param seqTier0 {@code seq_tier_0}
 * @param highBitdepth {@code high_bitdepth}
 * @param twelveBit {@code twelve_bit}
 * @param monochrome {@code monochrome}
 * @param chromaSubsamplingX {@code chroma_subsampling_x}
 * @param chromaSubsamplingY {@code chroma_subsampling_y}
 * @param chromaSamplePosition {@code chroma_sample_position}
 * @param initialPresentationDelayMinusOne {@code initial_presentation_delay_minus_one}, or -1
 *     when {@code initial_presentation_delay_present} is 0
 * @param configObus {@code configOBUs}: zero or one sequence header OBU and metadata OBUs
 */
public record Av1CodecConfigurationRecord(
        int seqProfile,
        int seqLevelIdx0,
        int seqTier0,
        boolean highBitdepth,
        boolean twelveBit,
        boolean monochrome,
        boolean chromaSubsamplingX,
        boolean chromaSubsamplingY,
        int chromaSamplePosition,
        int initialPresentationDelayMinusOne,
        byte[] configObus) {

    /** Size of the fixed fields before {@code configOBUs}. */
    public static final int FIXED_LENGTH = 4;

    public Av1CodecConfigurationRecord {
        checkRange("seq_profile", seqProfile, 7);
        checkRange("seq_level_idx_0", seqLevelIdx0, 31);
        checkRange("seq_tier_0", seqTier0, 1);
        checkRange("chroma_sample_position", chromaSamplePosition, 3);
        if (initialPresentationDelayMinusOne < -1 || initialPresentationDelayMinusOne > 15) {
            throw new IllegalArgumentException("initial_presentation_delay_minus_one must be -1..15: "
                    + initialPresentationDelayMinusOne);
        }
        configObus = configObus.clone();
    }

    /**
     * Builds a record from a complete sequence header OBU, which becomes {@code configOBUs}.
     *
     * @throws MalformedMediaException if the OBU does not parse
     */
    public static Av1CodecConfigurationRecord of(byte[] sequenceHeaderObu) {
        Av1SequenceHeader sh = Av1SequenceHeader.parseObu(sequenceHeaderObu);
        return new Av1CodecConfigurationRecord(sh.seqProfile(), sh.seqLevelIdx(), sh.seqTier(), sh.bitDepth() > 8,
                sh.bitDepth() == 12, sh.monochrome(), sh.subsamplingX(), sh.subsamplingY(),
                sh.chromaSamplePosition(), -1, sequenceHeaderObu);
    }

    /**
     * Parses an {@code AV1CodecConfigurationRecord} (AV1-ISOBMFF §2.3.3); the config OBUs are
     * kept as bytes, see {@link #sequenceHeader()}.
     *
     * @throws MalformedMediaException if it is shorter than 4 bytes or the marker or version is wrong
     */
    public static Av1CodecConfigurationRecord parse(byte[] data) {
        ByteReader r = new ByteReader(data, "AV1CodecConfigurationRecord");
        int b0 = r.u8();
        if (b0 != 0x81) {
            throw new MalformedMediaException("AV1CodecConfigurationRecord marker/version must be 0x81: 0x"
                    + Integer.toHexString(b0));
        }
        int b1 = r.u8();
        int b2 = r.u8();
        int b3 = r.u8();
        return new Av1CodecConfigurationRecord(b1 >>> 5, b1 & 0x1F, b2 >>> 7, (b2 & 0x40) != 0, (b2 & 0x20) != 0,
                (b2 & 0x10) != 0, (b2 & 0x08) != 0, (b2 & 0x04) != 0, b2 & 0x03,
                (b3 & 0x10) != 0 ? b3 & 0x0F : -1, r.rest());
    }

    /** Writes the record in the layout of AV1-ISOBMFF §2.3.3, reserved bits zero. */
    public byte[] encode() {
        byte[] out = new byte[FIXED_LENGTH + configObus.length];
        out[0] = (byte) 0x81; // marker 1, version 1
        out[1] = (byte) (seqProfile << 5 | seqLevelIdx0);
        out[2] = (byte) (seqTier0 << 7 | bit(highBitdepth, 6) | bit(twelveBit, 5) | bit(monochrome, 4)
                | bit(chromaSubsamplingX, 3) | bit(chromaSubsamplingY, 2) | chromaSamplePosition);
        out[3] = (byte) (initialPresentationDelayMinusOne >= 0 ? 0x10 | initialPresentationDelayMinusOne : 0);
        System.arraycopy(configObus, 0, out, FIXED_LENGTH, configObus.length);
        return out;
    }

    /**
     * Returns the sequence header in {@code configOBUs}, or null when there is none.
     *
     * @throws MalformedMediaException if the config OBUs or the sequence header do not parse
     */
    public Av1SequenceHeader sequenceHeader() {
        byte[] obu = Av1TemporalUnit.sequenceHeaderObu(configObus);
        return obu == null ? null : Av1SequenceHeader.parseObu(obu);
    }

    /** Returns the bit depth: 8, 10 or 12. */
    public int bitDepth() {
        return twelveBit ? 12 : highBitdepth ? 10 : 8;
    }

    /** Returns the short codecs parameter of AV1-ISOBMFF, e.g. {@code av01.0.04M.08}. */
    public String codecString() {
        return String.format(Locale.ROOT, "av01.%d.%02d%c.%02d", seqProfile, seqLevelIdx0, seqTier0 == 1 ? 'H' : 'M',
                bitDepth());
    }

    @Override
    public byte[] configObus() {
        return configObus.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Av1CodecConfigurationRecord r && seqProfile == r.seqProfile
                && seqLevelIdx0 == r.seqLevelIdx0 && seqTier0 == r.seqTier0 && highBitdepth == r.highBitdepth
                && twelveBit == r.twelveBit && monochrome == r.monochrome
                && chromaSubsamplingX == r.chromaSubsamplingX && chromaSubsamplingY == r.chromaSubsamplingY
                && chromaSamplePosition == r.chromaSamplePosition
                && initialPresentationDelayMinusOne == r.initialPresentationDelayMinusOne
                && Arrays.equals(configObus, r.configObus);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seqProfile, seqLevelIdx0, seqTier0, highBitdepth, twelveBit, monochrome,
                chromaSubsamplingX, chromaSubsamplingY, chromaSamplePosition, initialPresentationDelayMinusOne,
                Arrays.hashCode(configObus));
    }

    @Override
    public String toString() {
        return "Av1CodecConfigurationRecord[" + codecString() + ", monochrome=" + monochrome + ", subsampling="
                + (chromaSubsamplingX ? 1 : 0) + (chromaSubsamplingY ? 1 : 0) + ", chromaSamplePosition="
                + chromaSamplePosition + ", configObus=" + configObus.length + " bytes]";
    }

    private static int bit(boolean b, int shift) {
        return b ? 1 << shift : 0;
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0.." + max + ": " + value);
        }
    }
}

package io.livehub.codec.h265;

import io.livehub.codec.ByteArrays;
import io.livehub.codec.ByteReader;
import io.livehub.media.MalformedMediaException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Holds an {@code HEVCDecoderConfigurationRecord}, the {@code hvcC} box payload and the
 * enhanced-RTMP HEVC sequence header (ISO/IEC 14496-15 §8.3.3.1).
 *
 * <p>Immutable: the parameter set arrays are copied in and out.
 *
 * @param profileTierLevel the general profile space, tier, profile, compatibility and
 *     constraint flags and level, as in the SPS
 * @param minSpatialSegmentationIdc {@code min_spatial_segmentation_idc}, 0 to 4095
 * @param parallelismType {@code parallelismType}, 0 to 3
 * @param chromaFormatIdc {@code chroma_format_idc}, 0 to 3
 * @param bitDepthLumaMinus8 {@code bit_depth_luma_minus8}, 0 to 7
 * @param bitDepthChromaMinus8 {@code bit_depth_chroma_minus8}, 0 to 7
 * @param avgFrameRate {@code avgFrameRate} in frames per 256 seconds, 0 when unspecified
 * @param constantFrameRate {@code constantFrameRate}, 0 to 3
 * @param numTemporalLayers {@code numTemporalLayers}, 0 to 7
 * @param temporalIdNested {@code temporalIdNested}
 * @param nalUnitLengthSize {@code lengthSizeMinusOne} + 1: 1, 2 or 4
 * @param arrays the NAL unit arrays, usually VPS, SPS, PPS and SEI
 */
public record HevcDecoderConfigurationRecord(
        H265ProfileTierLevel profileTierLevel,
        int minSpatialSegmentationIdc,
        int parallelismType,
        int chromaFormatIdc,
        int bitDepthLumaMinus8,
        int bitDepthChromaMinus8,
        int avgFrameRate,
        int constantFrameRate,
        int numTemporalLayers,
        boolean temporalIdNested,
        int nalUnitLengthSize,
        List<NalUnitArray> arrays) {

    /**
     * Holds one array of NAL units of the same type.
     *
     * @param arrayCompleteness {@code array_completeness}: true when every NAL unit of this
     *     type is here and none is in the stream ({@code hvc1}), false when more may come in band
     * @param nalUnitType {@code NAL_unit_type}, 0 to 63
     * @param nalUnits the NAL units, two-byte header included
     */
    public record NalUnitArray(boolean arrayCompleteness, int nalUnitType, List<byte[]> nalUnits) {

        public NalUnitArray {
            checkRange("NAL_unit_type", nalUnitType, 63);
            if (nalUnits.size() > 0xFFFF) {
                throw new IllegalArgumentException("too many NAL units: " + nalUnits.size());
            }
            for (byte[] u : nalUnits) {
                if (u.length > 0xFFFF) {
                    throw new IllegalArgumentException("NAL unit longer than 65535 bytes: " + u.length);
                }
            }
            nalUnits = ByteArrays.copyOf(nalUnits);
        }

        @Override
        public List<byte[]> nalUnits() {
            return ByteArrays.copyOf(nalUnits);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NalUnitArray a && arrayCompleteness == a.arrayCompleteness
                    && nalUnitType == a.nalUnitType && ByteArrays.equals(nalUnits, a.nalUnits);
        }

        @Override
        public int hashCode() {
            return Objects.hash(arrayCompleteness, nalUnitType, ByteArrays.hashCode(nalUnits));
        }

        @Override
        public String toString() {
            return "NalUnitArray[complete=" + arrayCompleteness + ", type=" + nalUnitType
                    + ", count=" + nalUnits.size() + "]";
        }
    }

    public HevcDecoderConfigurationRecord {
        Objects.requireNonNull(profileTierLevel, "profileTierLevel");
        checkRange("min_spatial_segmentation_idc", minSpatialSegmentationIdc, 4095);
        checkRange("parallelismType", parallelismType, 3);
        checkRange("chroma_format_idc", chromaFormatIdc, 3);
        checkRange("bit_depth_luma_minus8", bitDepthLumaMinus8, 7);
        checkRange("bit_depth_chroma_minus8", bitDepthChromaMinus8, 7);
        checkRange("avgFrameRate", avgFrameRate, 0xFFFF);
        checkRange("constantFrameRate", constantFrameRate, 3);
        checkRange("numTemporalLayers", numTemporalLayers, 7);
        if (nalUnitLengthSize != 1 && nalUnitLengthSize != 2 && nalUnitLengthSize != 4) {
            throw new IllegalArgumentException("NAL unit length size must be 1, 2 or 4: " + nalUnitLengthSize);
        }
        if (arrays.size() > 255) {
            throw new IllegalArgumentException("too many NAL unit arrays: " + arrays.size());
        }
        arrays = List.copyOf(arrays);
    }

    /**
     * Builds a record from parameter sets, taking profile, tier, level, chroma format, bit
     * depths and temporal layering from the first SPS, with 4-byte NAL unit lengths and
     * complete arrays as {@code hvc1} requires. Empty lists give no array.
     *
     * @throws MalformedMediaException if there is no SPS or the first one does not parse
     */
    public static HevcDecoderConfigurationRecord of(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {
        if (sps.isEmpty()) {
            throw new MalformedMediaException("an HEVC configuration needs at least one SPS");
        }
        H265Sps first = H265Sps.parse(sps.get(0));
        List<NalUnitArray> arrays = new ArrayList<>(3);
        if (!vps.isEmpty()) {
            arrays.add(new NalUnitArray(true, H265NalUnitType.VPS, vps));
        }
        arrays.add(new NalUnitArray(true, H265NalUnitType.SPS, sps));
        if (!pps.isEmpty()) {
            arrays.add(new NalUnitArray(true, H265NalUnitType.PPS, pps));
        }
        return new HevcDecoderConfigurationRecord(first.profileTierLevel(), 0, 0, first.chromaFormatIdc(),
                first.bitDepthLuma() - 8, first.bitDepthChroma() - 8, 0, 0, first.maxSubLayersMinus1() + 1,
                first.temporalIdNesting(), 4, arrays);
    }

    /**
     * Parses an {@code HEVCDecoderConfigurationRecord} (§8.3.3.1.2).
     *
     * @throws MalformedMediaException if it is truncated, a length runs past the end, or a
     *     field has a value the specification forbids
     */
    public static HevcDecoderConfigurationRecord parse(byte[] data) {
        ByteReader c = new ByteReader(data, "HEVCDecoderConfigurationRecord");
        int version = c.u8();
        if (version != 1) {
            throw new MalformedMediaException("unsupported HEVC configurationVersion " + version);
        }
        int b = c.u8();
        int compatibility = (int) c.uN(4);
        long constraints = c.uN(6);
        int level = c.u8();
        H265ProfileTierLevel ptl = new H265ProfileTierLevel(b >>> 6, (b & 0x20) != 0, b & 0x1F,
                compatibility, constraints, level);
        int minSpatialSegmentation = c.u16() & 0x0FFF;
        int parallelism = c.u8() & 0x03;
        int chroma = c.u8() & 0x03;
        int lumaDepth = c.u8() & 0x07;
        int chromaDepth = c.u8() & 0x07;
        int avgFrameRate = c.u16();
        int flags = c.u8();
        int lengthSizeMinusOne = flags & 0x03;
        if (lengthSizeMinusOne == 2) {
            throw new MalformedMediaException("HEVC lengthSizeMinusOne 2 is not allowed");
        }
        int numArrays = c.u8();
        List<NalUnitArray> arrays = new ArrayList<>(numArrays);
        for (int i = 0; i < numArrays; i++) {
            int head = c.u8();
            int numNalus = c.u16();
            // Each NAL unit takes at least its 2-byte length, so a count beyond that is a lie.
            if (numNalus * 2L > c.remaining()) {
                throw new MalformedMediaException("HEVC array of " + numNalus + " NAL units in "
                        + c.remaining() + " bytes");
            }
            List<byte[]> units = new ArrayList<>(numNalus);
            for (int j = 0; j < numNalus; j++) {
                units.add(c.bytes(c.u16()));
            }
            arrays.add(new NalUnitArray((head & 0x80) != 0, head & 0x3F, units));
        }
        return new HevcDecoderConfigurationRecord(ptl, minSpatialSegmentation, parallelism, chroma,
                lumaDepth, chromaDepth, avgFrameRate, flags >>> 6, (flags >>> 3) & 0x07,
                (flags & 0x04) != 0, lengthSizeMinusOne + 1, arrays);
    }

    /** Writes the record in the layout of §8.3.3.1.2, reserved bits set to 1. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        H265ProfileTierLevel p = profileTierLevel;
        out.write(1);
        out.write((p.profileSpace() << 6) | (p.tierFlag() ? 0x20 : 0) | p.profileIdc());
        writeN(out, p.profileCompatibilityFlags() & 0xFFFFFFFFL, 4);
        writeN(out, p.constraintIndicatorFlags(), 6);
        out.write(p.levelIdc());
        writeN(out, 0xF000 | minSpatialSegmentationIdc, 2);
        out.write(0xFC | parallelismType);
        out.write(0xFC | chromaFormatIdc);
        out.write(0xF8 | bitDepthLumaMinus8);
        out.write(0xF8 | bitDepthChromaMinus8);
        writeN(out, avgFrameRate, 2);
        out.write((constantFrameRate << 6) | (numTemporalLayers << 3) | (temporalIdNested ? 0x04 : 0)
                | (nalUnitLengthSize - 1));
        out.write(arrays.size());
        for (NalUnitArray a : arrays) {
            out.write((a.arrayCompleteness ? 0x80 : 0) | a.nalUnitType);
            writeN(out, a.nalUnits.size(), 2);
            for (byte[] u : a.nalUnits) {
                writeN(out, u.length, 2);
                out.write(u, 0, u.length);
            }
        }
        return out.toByteArray();
    }

    /** Returns the NAL units of the given type across all arrays, e.g. every SPS. */
    public List<byte[]> nalUnits(int nalUnitType) {
        List<byte[]> out = new ArrayList<>();
        for (NalUnitArray a : arrays) {
            if (a.nalUnitType == nalUnitType) {
                out.addAll(a.nalUnits);
            }
        }
        return ByteArrays.copyOf(out);
    }

    /** Returns the RFC 6381 codecs parameter with sample entry {@code hvc1}, e.g. {@code hvc1.1.6.L93.B0}. */
    public String codecString() {
        return profileTierLevel.codecString("hvc1");
    }

    private static void writeN(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0.." + max + ": " + value);
        }
    }
}

package io.livehub.codec.h265;

import io.livehub.codec.BitReader;
import io.livehub.codec.EmulationPrevention;
import io.livehub.media.MalformedMediaException;

/**
 * Holds the fields of an H.265 sequence parameter set that a server needs: profile, tier
 * and level, chroma format, bit depth and the picture size after the conformance window
 * (ITU-T H.265 §7.3.2.2.1).
 *
 * @param videoParameterSetId {@code sps_video_parameter_set_id}
 * @param maxSubLayersMinus1 {@code sps_max_sub_layers_minus1}, 0 to 6
 * @param temporalIdNesting {@code sps_temporal_id_nesting_flag}
 * @param profileTierLevel the general profile, tier and level
 * @param seqParameterSetId {@code sps_seq_parameter_set_id}, 0 to 15
 * @param chromaFormatIdc {@code chroma_format_idc}: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param separateColourPlane {@code separate_colour_plane_flag}
 * @param codedWidth {@code pic_width_in_luma_samples}
 * @param codedHeight {@code pic_height_in_luma_samples}
 * @param width the width after the conformance window
 * @param height the height after the conformance window
 * @param bitDepthLuma {@code bit_depth_luma_minus8} + 8
 * @param bitDepthChroma {@code bit_depth_chroma_minus8} + 8
 */
public record H265Sps(
        int videoParameterSetId,
        int maxSubLayersMinus1,
        boolean temporalIdNesting,
        H265ProfileTierLevel profileTierLevel,
        int seqParameterSetId,
        int chromaFormatIdc,
        boolean separateColourPlane,
        int codedWidth,
        int codedHeight,
        int width,
        int height,
        int bitDepthLuma,
        int bitDepthChroma) {

    /** Caps each dimension at 65536 samples, far above any level of Table A.8, so arithmetic cannot overflow. */
    private static final int MAX_DIMENSION = 65536;

    /**
     * Parses a sequence parameter set NAL unit, two-byte header included, with its emulation
     * prevention bytes still in place (ITU-T H.265 §7.3.2.2.1).
     *
     * @throws MalformedMediaException if it is not an SPS, is truncated or has a value out of
     *     the range §7.4.3.2.1 allows
     */
    public static H265Sps parse(byte[] nalUnit) {
        if (nalUnit.length < 3) {
            throw new MalformedMediaException("H.265 SPS too short: " + nalUnit.length + " bytes");
        }
        int type = H265NalUnitType.of(nalUnit[0]);
        if (type != H265NalUnitType.SPS) {
            throw new MalformedMediaException("not an H.265 SPS: nal_unit_type " + type);
        }
        BitReader r = new BitReader(EmulationPrevention.unescape(nalUnit, 2, nalUnit.length - 2));
        int vpsId = r.readBits(4);
        int maxSubLayersMinus1 = r.readBits(3);
        if (maxSubLayersMinus1 > 6) {
            throw new MalformedMediaException("sps_max_sub_layers_minus1 out of range: " + maxSubLayersMinus1);
        }
        boolean temporalIdNesting = r.readFlag();
        H265ProfileTierLevel ptl = H265ProfileTierLevel.read(r, maxSubLayersMinus1);
        int spsId = r.readUe("sps_seq_parameter_set_id", 15);
        int chromaFormatIdc = r.readUe("chroma_format_idc", 3);
        boolean separateColourPlane = chromaFormatIdc == 3 && r.readFlag();
        int codedWidth = r.readUe("pic_width_in_luma_samples", MAX_DIMENSION);
        int codedHeight = r.readUe("pic_height_in_luma_samples", MAX_DIMENSION);
        if (codedWidth == 0 || codedHeight == 0) {
            throw new MalformedMediaException("H.265 SPS with an empty picture: " + codedWidth + "x" + codedHeight);
        }
        int left = 0;
        int right = 0;
        int top = 0;
        int bottom = 0;
        if (r.readFlag()) { // conformance_window_flag
            left = r.readUe("conf_win_left_offset", MAX_DIMENSION);
            right = r.readUe("conf_win_right_offset", MAX_DIMENSION);
            top = r.readUe("conf_win_top_offset", MAX_DIMENSION);
            bottom = r.readUe("conf_win_bottom_offset", MAX_DIMENSION);
        }
        int bitDepthLuma = 8 + r.readUe("bit_depth_luma_minus8", 8);
        int bitDepthChroma = 8 + r.readUe("bit_depth_chroma_minus8", 8);

        // Table 6-1: offsets count in chroma samples, so they scale by SubWidthC/SubHeightC.
        int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
        int subHeightC = chromaArrayType == 1 ? 2 : 1;
        int width = codedWidth - subWidthC * (left + right);
        int height = codedHeight - subHeightC * (top + bottom);
        if (width <= 0 || height <= 0) {
            throw new MalformedMediaException("H.265 SPS conformance window leaves no picture: coded "
                    + codedWidth + "x" + codedHeight + ", cropped " + width + "x" + height);
        }
        return new H265Sps(vpsId, maxSubLayersMinus1, temporalIdNesting, ptl, spsId, chromaFormatIdc,
                separateColourPlane, codedWidth, codedHeight, width, height, bitDepthLuma, bitDepthChroma);
    }

    /** Returns the RFC 6381 codecs parameter with sample entry {@code hvc1}, e.g. {@code hvc1.1.6.L93.B0}. */
    public String codecString() {
        return profileTierLevel.codecString("hvc1");
    }
}

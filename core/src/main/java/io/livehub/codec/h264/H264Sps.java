package io.livehub.codec.h264;

import io.livehub.codec.BitReader;
import io.livehub.codec.EmulationPrevention;
import io.livehub.media.MalformedMediaException;
import java.util.Locale;

/**
 * Holds the fields of an H.264 sequence parameter set that a server needs: profile, level,
 * chroma format, bit depth and the cropped picture size, plus the VUI frame rate when the
 * encoder signals one (ITU-T H.264 §7.3.2.1.1 and §E.1.1).
 *
 * @param profileIdc {@code profile_idc}
 * @param constraintFlags the byte of {@code constraint_set0_flag} .. {@code constraint_set5_flag}
 *     and the two reserved zero bits, as it appears in the bitstream
 * @param levelIdc {@code level_idc}, ten times the level number
 * @param seqParameterSetId {@code seq_parameter_set_id}
 * @param chromaFormatIdc {@code chroma_format_idc}: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param separateColourPlane {@code separate_colour_plane_flag}
 * @param bitDepthLuma {@code bit_depth_luma_minus8} + 8
 * @param bitDepthChroma {@code bit_depth_chroma_minus8} + 8
 * @param frameMbsOnly {@code frame_mbs_only_flag}; false when fields may be coded
 * @param width the picture width in luma samples after cropping
 * @param height the picture height in luma samples after cropping
 * @param numUnitsInTick VUI {@code num_units_in_tick}, 0 when there is no timing info
 * @param timeScale VUI {@code time_scale}, 0 when there is no timing info
 */
public record H264Sps(
        int profileIdc,
        int constraintFlags,
        int levelIdc,
        int seqParameterSetId,
        int chromaFormatIdc,
        boolean separateColourPlane,
        int bitDepthLuma,
        int bitDepthChroma,
        boolean frameMbsOnly,
        int width,
        int height,
        long numUnitsInTick,
        long timeScale) {

    /**
     * Caps the coded size at 4096 macroblocks (65536 samples) a side, far above any level of
     * Table A-1, so that size arithmetic cannot overflow.
     */
    private static final int MAX_SIZE_IN_MBS = 4096;

    /**
     * Parses a sequence parameter set NAL unit, header byte included, with its emulation
     * prevention bytes still in place (ITU-T H.264 §7.3.2.1.1).
     *
     * @throws MalformedMediaException if it is not an SPS, is truncated or has a value out of
     *     the range §7.4.2.1.1 allows
     */
    public static H264Sps parse(byte[] nalUnit) {
        if (nalUnit.length < 4) {
            throw new MalformedMediaException("H.264 SPS too short: " + nalUnit.length + " bytes");
        }
        int type = H264NalUnitType.of(nalUnit[0]);
        if (type != H264NalUnitType.SPS) {
            throw new MalformedMediaException("not an H.264 SPS: nal_unit_type " + type);
        }
        BitReader r = new BitReader(EmulationPrevention.unescape(nalUnit, 1, nalUnit.length - 1));
        int profileIdc = r.readBits(8);
        int constraintFlags = r.readBits(8);
        int levelIdc = r.readBits(8);
        int spsId = r.readUe("seq_parameter_set_id", 31);

        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        int bitDepthLuma = 8;
        int bitDepthChroma = 8;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = r.readUe("chroma_format_idc", 3);
            if (chromaFormatIdc == 3) {
                separateColourPlane = r.readFlag();
            }
            bitDepthLuma = 8 + r.readUe("bit_depth_luma_minus8", 6);
            bitDepthChroma = 8 + r.readUe("bit_depth_chroma_minus8", 6);
            r.readFlag(); // qpprime_y_zero_transform_bypass_flag
            if (r.readFlag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.readFlag()) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.readUe("log2_max_frame_num_minus4", 12);
        int pocType = r.readUe("pic_order_cnt_type", 2);
        if (pocType == 0) {
            r.readUe("log2_max_pic_order_cnt_lsb_minus4", 12);
        } else if (pocType == 1) {
            r.readFlag(); // delta_pic_order_always_zero_flag
            r.readSe(); // offset_for_non_ref_pic
            r.readSe(); // offset_for_top_to_bottom_field
            int cycle = r.readUe("num_ref_frames_in_pic_order_cnt_cycle", 255);
            for (int i = 0; i < cycle; i++) {
                r.readSe(); // offset_for_ref_frame[i]
            }
        }
        r.readUe(); // max_num_ref_frames
        r.readFlag(); // gaps_in_frame_num_value_allowed_flag
        int widthInMbs = r.readUe("pic_width_in_mbs_minus1", MAX_SIZE_IN_MBS - 1) + 1;
        int heightInMapUnits = r.readUe("pic_height_in_map_units_minus1", MAX_SIZE_IN_MBS - 1) + 1;
        boolean frameMbsOnly = r.readFlag();
        if (!frameMbsOnly) {
            r.readFlag(); // mb_adaptive_frame_field_flag
        }
        r.readFlag(); // direct_8x8_inference_flag
        int cropLeft = 0;
        int cropRight = 0;
        int cropTop = 0;
        int cropBottom = 0;
        if (r.readFlag()) { // frame_cropping_flag
            cropLeft = r.readUe("frame_crop_left_offset", 65535);
            cropRight = r.readUe("frame_crop_right_offset", 65535);
            cropTop = r.readUe("frame_crop_top_offset", 65535);
            cropBottom = r.readUe("frame_crop_bottom_offset", 65535);
        }

        // Equations 7-18 to 7-21 and 6-1, 6-2: the crop unit follows the chroma subsampling.
        int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        int subWidthC = chromaFormatIdc == 3 ? 1 : 2;
        int subHeightC = chromaFormatIdc == 1 ? 2 : 1;
        int cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
        int cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
        int codedWidth = widthInMbs * 16;
        int codedHeight = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16;
        int width = codedWidth - cropUnitX * (cropLeft + cropRight);
        int height = codedHeight - cropUnitY * (cropTop + cropBottom);
        if (width <= 0 || height <= 0) {
            throw new MalformedMediaException("H.264 SPS cropping leaves no picture: coded "
                    + codedWidth + "x" + codedHeight + ", cropped " + width + "x" + height);
        }

        long numUnitsInTick = 0;
        long timeScale = 0;
        if (r.bitsLeft() > 0 && r.readFlag()) { // vui_parameters_present_flag
            long[] timing = readVuiTiming(r);
            numUnitsInTick = timing[0];
            timeScale = timing[1];
        }
        return new H264Sps(profileIdc, constraintFlags, levelIdc, spsId, chromaFormatIdc,
                separateColourPlane, bitDepthLuma, bitDepthChroma, frameMbsOnly, width, height,
                numUnitsInTick, timeScale);
    }

    /**
     * Returns true for the profiles whose SPS carries chroma format, bit depth and scaling
     * lists (the {@code profile_idc} list of §7.3.2.1.1).
     */
    static boolean hasChromaInfo(int profileIdc) {
        switch (profileIdc) {
            case 100: case 110: case 122: case 244: case 44: case 83: case 86: case 118:
            case 128: case 138: case 139: case 134: case 135:
                return true;
            default:
                return false;
        }
    }

    /** Returns frames per second from the VUI timing info, or 0 when there is none (§E.2.1). */
    public double frameRate() {
        if (numUnitsInTick == 0 || timeScale == 0) {
            return 0;
        }
        // A tick is a field period, so a frame is two ticks.
        return timeScale / (2.0 * numUnitsInTick);
    }

    /** Returns the RFC 6381 §3.3 codecs parameter, e.g. {@code avc1.64001f}. */
    public String codecString() {
        return codecString(profileIdc, constraintFlags, levelIdc);
    }

    static String codecString(int profile, int compatibility, int level) {
        return String.format(Locale.ROOT, "avc1.%02x%02x%02x", profile, compatibility, level);
    }

    /** Skips one {@code scaling_list()} (§7.3.2.1.1.1); only its length matters here. */
    private static void skipScalingList(BitReader r, int size) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size; j++) {
            if (nextScale != 0) {
                int delta = r.readSe();
                if (delta < -128 || delta > 127) {
                    throw new MalformedMediaException("delta_scale out of range: " + delta);
                }
                nextScale = (lastScale + delta + 256) % 256;
            }
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    /**
     * Reads {@code vui_parameters()} up to its timing info (§E.1.1) and returns
     * {num_units_in_tick, time_scale}, zeros when absent.
     */
    private static long[] readVuiTiming(BitReader r) {
        if (r.readFlag()) { // aspect_ratio_info_present_flag
            int aspectRatioIdc = r.readBits(8);
            if (aspectRatioIdc == 255) { // Extended_SAR
                r.skipBits(32); // sar_width, sar_height
            }
        }
        if (r.readFlag()) { // overscan_info_present_flag
            r.readFlag(); // overscan_appropriate_flag
        }
        if (r.readFlag()) { // video_signal_type_present_flag
            r.skipBits(4); // video_format, video_full_range_flag
            if (r.readFlag()) { // colour_description_present_flag
                r.skipBits(24); // colour_primaries, transfer_characteristics, matrix_coefficients
            }
        }
        if (r.readFlag()) { // chroma_loc_info_present_flag
            r.readUe(); // chroma_sample_loc_type_top_field
            r.readUe(); // chroma_sample_loc_type_bottom_field
        }
        if (!r.readFlag()) { // timing_info_present_flag
            return new long[] {0, 0};
        }
        long numUnitsInTick = r.readBitsLong(32);
        long timeScale = r.readBitsLong(32);
        return new long[] {numUnitsInTick, timeScale};
    }
}

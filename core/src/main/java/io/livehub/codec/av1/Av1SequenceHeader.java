package io.livehub.codec.av1;

import io.livehub.codec.BitReader;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Holds the fields of an AV1 sequence header OBU that a server and the {@code av1C} record
 * need (AV1 specification §5.5): profile, operating points with level and tier, maximum
 * frame size and the colour configuration.
 *
 * @param seqProfile {@code seq_profile}, 0 to 2 (0 Main, 1 High, 2 Professional)
 * @param stillPicture {@code still_picture}
 * @param reducedStillPictureHeader {@code reduced_still_picture_header}
 * @param operatingPoints the operating points, at least one; the first is the default
 * @param frameWidthBits {@code frame_width_bits_minus_1} + 1
 * @param frameHeightBits {@code frame_height_bits_minus_1} + 1
 * @param maxFrameWidth {@code max_frame_width_minus_1} + 1
 * @param maxFrameHeight {@code max_frame_height_minus_1} + 1
 * @param bitDepth {@code BitDepth}: 8, 10 or 12
 * @param monochrome {@code mono_chrome}
 * @param subsamplingX {@code subsampling_x}
 * @param subsamplingY {@code subsampling_y}
 * @param chromaSamplePosition {@code chroma_sample_position}, 0 (unknown) when not coded
 * @param colorPrimaries {@code color_primaries}, 2 (unspecified) when not coded
 * @param transferCharacteristics {@code transfer_characteristics}, 2 when not coded
 * @param matrixCoefficients {@code matrix_coefficients}, 2 when not coded
 * @param colorRange {@code color_range}: true for full range
 * @param filmGrainParamsPresent {@code film_grain_params_present}
 */
public record Av1SequenceHeader(
        int seqProfile,
        boolean stillPicture,
        boolean reducedStillPictureHeader,
        List<OperatingPoint> operatingPoints,
        int frameWidthBits,
        int frameHeightBits,
        int maxFrameWidth,
        int maxFrameHeight,
        int bitDepth,
        boolean monochrome,
        boolean subsamplingX,
        boolean subsamplingY,
        int chromaSamplePosition,
        int colorPrimaries,
        int transferCharacteristics,
        int matrixCoefficients,
        boolean colorRange,
        boolean filmGrainParamsPresent) {

    /**
     * Holds one operating point of §5.5.1.
     *
     * @param idc {@code operating_point_idc}, the temporal and spatial layers it decodes
     * @param seqLevelIdx {@code seq_level_idx}; level = 2 + ({@code idx >> 2}) . ({@code idx & 3}), 31 means unconstrained
     * @param seqTier {@code seq_tier}, 1 for the High tier (only coded when the level index is above 7)
     */
    public record OperatingPoint(int idc, int seqLevelIdx, int seqTier) {
    }

    private static final int CP_BT_709 = 1;
    private static final int TC_SRGB = 13;
    private static final int MC_IDENTITY = 0;
    private static final int UNSPECIFIED = 2;

    public Av1SequenceHeader {
        operatingPoints = List.copyOf(operatingPoints);
    }

    /**
     * Parses a complete sequence header OBU, header included, as found in {@code av1C}
     * {@code configOBUs} or a temporal unit.
     *
     * @throws MalformedMediaException if it is not a sequence header OBU, is truncated or
     *     has a value the specification forbids
     */
    public static Av1SequenceHeader parseObu(byte[] obu) {
        ObuHeader h = ObuHeader.parse(Unpooled.wrappedBuffer(obu), 0, obu.length);
        if (h.type() != ObuType.SEQUENCE_HEADER) {
            throw new MalformedMediaException("not a sequence header OBU: obu_type " + h.type());
        }
        return parsePayload(obu, h.payloadOffset(), h.payloadSize());
    }

    /**
     * Parses the payload of a sequence header OBU, {@code sequence_header_obu()} (§5.5.1).
     *
     * @throws MalformedMediaException if it is truncated or has a value the specification forbids
     */
    public static Av1SequenceHeader parsePayload(byte[] data, int offset, int length) {
        BitReader r = new BitReader(data, offset, length);
        int seqProfile = r.readBits(3);
        if (seqProfile > 2) {
            throw new MalformedMediaException("reserved seq_profile " + seqProfile);
        }
        boolean stillPicture = r.readFlag();
        boolean reduced = r.readFlag();
        List<OperatingPoint> ops = new ArrayList<>();
        if (reduced) {
            if (!stillPicture) {
                throw new MalformedMediaException("reduced_still_picture_header without still_picture");
            }
            ops.add(new OperatingPoint(0, r.readBits(5), 0));
        } else {
            boolean decoderModelInfoPresent = false;
            int bufferDelayLength = 0;
            if (r.readFlag()) { // timing_info_present_flag
                skipTimingInfo(r);
                decoderModelInfoPresent = r.readFlag();
                if (decoderModelInfoPresent) {
                    bufferDelayLength = r.readBits(5) + 1; // buffer_delay_length_minus_1
                    r.skipBits(32); // num_units_in_decoding_tick
                    r.skipBits(5 + 5); // buffer_removal_time_length_minus_1, frame_presentation_time_length_minus_1
                }
            }
            boolean initialDisplayDelayPresent = r.readFlag();
            int count = r.readBits(5) + 1; // operating_points_cnt_minus_1
            for (int i = 0; i < count; i++) {
                int idc = r.readBits(12);
                int level = r.readBits(5);
                int tier = level > 7 ? r.readBit() : 0;
                if (decoderModelInfoPresent && r.readFlag()) { // decoder_model_present_for_this_op
                    // operating_parameters_info: decoder and encoder buffer delays, low_delay_mode_flag
                    r.skipBits(2L * bufferDelayLength + 1);
                }
                if (initialDisplayDelayPresent && r.readFlag()) { // initial_display_delay_present_for_this_op
                    r.skipBits(4); // initial_display_delay_minus_1
                }
                ops.add(new OperatingPoint(idc, level, tier));
            }
        }
        int widthBits = r.readBits(4) + 1;
        int heightBits = r.readBits(4) + 1;
        int maxWidth = r.readBits(widthBits) + 1; // max_frame_width_minus_1
        int maxHeight = r.readBits(heightBits) + 1; // max_frame_height_minus_1
        if (!reduced && r.readFlag()) { // frame_id_numbers_present_flag
            r.skipBits(4 + 3); // delta_frame_id_length_minus_2, additional_frame_id_length_minus_1
        }
        r.skipBits(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
        if (!reduced) {
            r.skipBits(4); // enable_interintra_compound, masked_compound, warped_motion, dual_filter
            boolean enableOrderHint = r.readFlag();
            if (enableOrderHint) {
                r.skipBits(2); // enable_jnt_comp, enable_ref_frame_mvs
            }
            boolean forceScreenContentTools = true;
            if (!r.readFlag()) { // seq_choose_screen_content_tools
                forceScreenContentTools = r.readFlag(); // seq_force_screen_content_tools
            }
            if (forceScreenContentTools && !r.readFlag()) { // seq_choose_integer_mv
                r.readFlag(); // seq_force_integer_mv
            }
            if (enableOrderHint) {
                r.skipBits(3); // order_hint_bits_minus_1
            }
        }
        r.skipBits(3); // enable_superres, enable_cdef, enable_restoration

        // color_config() (§5.5.2)
        boolean highBitdepth = r.readFlag();
        int bitDepth = 8;
        if (seqProfile == 2 && highBitdepth) {
            bitDepth = r.readFlag() ? 12 : 10; // twelve_bit
        } else if (highBitdepth) {
            bitDepth = 10;
        }
        boolean mono = seqProfile != 1 && r.readFlag();
        int primaries = UNSPECIFIED;
        int transfer = UNSPECIFIED;
        int matrix = UNSPECIFIED;
        if (r.readFlag()) { // color_description_present_flag
            primaries = r.readBits(8);
            transfer = r.readBits(8);
            matrix = r.readBits(8);
        }
        boolean colorRange;
        boolean ssx;
        boolean ssy;
        int chromaSamplePosition = 0;
        if (mono) {
            colorRange = r.readFlag();
            ssx = true;
            ssy = true;
        } else if (primaries == CP_BT_709 && transfer == TC_SRGB && matrix == MC_IDENTITY) {
            // sRGB is always full-range 4:4:4.
            colorRange = true;
            ssx = false;
            ssy = false;
        } else {
            colorRange = r.readFlag();
            if (seqProfile == 0) {
                ssx = true;
                ssy = true;
            } else if (seqProfile == 1) {
                ssx = false;
                ssy = false;
            } else if (bitDepth == 12) {
                ssx = r.readFlag();
                ssy = ssx && r.readFlag();
            } else {
                ssx = true;
                ssy = false;
            }
            if (ssx && ssy) {
                chromaSamplePosition = r.readBits(2);
            }
        }
        if (!mono) {
            r.readFlag(); // separate_uv_delta_q
        }
        boolean filmGrain = r.readFlag();
        return new Av1SequenceHeader(seqProfile, stillPicture, reduced, ops, widthBits, heightBits, maxWidth,
                maxHeight, bitDepth, mono, ssx, ssy, chromaSamplePosition, primaries, transfer, matrix, colorRange,
                filmGrain);
    }

    /** Returns {@code seq_level_idx} of the default operating point. */
    public int seqLevelIdx() {
        return operatingPoints.get(0).seqLevelIdx();
    }

    /** Returns {@code seq_tier} of the default operating point. */
    public int seqTier() {
        return operatingPoints.get(0).seqTier();
    }

    /**
     * Returns the codecs parameter of AV1-ISOBMFF "Codecs Parameter String" in its short form,
     * {@code av01.<profile>.<level><tier>.<bit depth>}, e.g. {@code av01.0.04M.08}.
     */
    public String codecString() {
        return String.format(Locale.ROOT, "av01.%d.%02d%c.%02d", seqProfile, seqLevelIdx(),
                seqTier() == 1 ? 'H' : 'M', bitDepth);
    }

    /** Skips {@code timing_info()} (§5.5.3), whose picture interval is a variable-length code. */
    private static void skipTimingInfo(BitReader r) {
        r.skipBits(32 + 32); // num_units_in_display_tick, time_scale
        if (r.readFlag()) { // equal_picture_interval
            skipUvlc(r);
        }
    }

    /** Skips a {@code uvlc()} (§4.10.3); from 32 leading zeros on it reads no value bits. */
    private static void skipUvlc(BitReader r) {
        int leadingZeros = 0;
        while (!r.readFlag()) {
            leadingZeros++;
        }
        if (leadingZeros < 32) {
            r.skipBits(leadingZeros);
        }
    }
}

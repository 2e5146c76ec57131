package io.livehub.rtmp.client;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Builds small tracks and frames by hand: configurations that parse, and payloads of a few bytes. */
final class SyntheticMedia {

    /**
     * An AVCDecoderConfigurationRecord (ISO/IEC 14496-15, 5.3.3.1) with one 4-byte SPS and one
     * 2-byte PPS: version 1, Baseline profile 66, level 3.0, lengthSizeMinusOne 3.
     */
    static final byte[] AVCC = {
        1, 0x42, 0x00, 0x1E, (byte) 0xFF, // version, profile, compatibility, level, 111111 + lengthSizeMinusOne 3
        (byte) 0xE1, 0x00, 0x04, 0x67, 0x42, 0x00, 0x1E, // 111 + 1 SPS, length 4, SPS
        0x01, 0x00, 0x02, 0x68, (byte) 0xCE, // 1 PPS, length 2, PPS
    };

    /** An AudioSpecificConfig (ISO/IEC 14496-3, 1.6.2.1): AAC LC, 44.1 kHz, stereo. */
    static final byte[] ASC = {0x12, 0x10};

    /**
     * An HEVCDecoderConfigurationRecord (ISO/IEC 14496-15, 8.3.3.1) with no parameter set arrays:
     * the 23 fixed bytes only.
     */
    static final byte[] HVCC = {
        1, // configurationVersion
        0x01, // general_profile_space 0, tier 0, profile_idc 1 (Main)
        0x60, 0x00, 0x00, 0x00, // general_profile_compatibility_flags
        (byte) 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, // general_constraint_indicator_flags
        0x5D, // general_level_idc 93 (3.1)
        (byte) 0xF0, 0x00, // reserved + min_spatial_segmentation_idc 0
        (byte) 0xFC, // reserved + parallelismType 0
        (byte) 0xFD, // reserved + chromaFormat 1 (4:2:0)
        (byte) 0xF8, (byte) 0xF8, // reserved + bitDepthLumaMinus8 0, bitDepthChromaMinus8 0
        0x00, 0x00, // avgFrameRate
        0x0F, // constantFrameRate 0, numTemporalLayers 1, temporalIdNested 1, lengthSizeMinusOne 3
        0x00, // numOfArrays
    };

    /** An OpusHead (RFC 7845, 5.1): version 1, 2 channels, pre-skip 312, 48 kHz, gain 0, family 0. */
    static final byte[] OPUS_HEAD = opusHead();

    /** An AV1CodecConfigurationRecord (AV1 ISOBMFF binding, 2.3.3): Main profile, level 4.0, 8-bit 4:2:0. */
    static final byte[] AV1C = {(byte) 0x81, 0x08, 0x0C, 0x00};

    private SyntheticMedia() {
    }

    private static byte[] opusHead() {
        ByteBuf b = Unpooled.buffer(19);
        b.writeBytes("OpusHead".getBytes(StandardCharsets.US_ASCII));
        b.writeByte(1);
        b.writeByte(2);
        b.writeShortLE(312);
        b.writeIntLE(48000);
        b.writeShortLE(0);
        b.writeByte(0);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    static Track h264(byte[] config) {
        return Track.builder(CodecId.H264).config(config).build();
    }

    static Track aac() {
        return Track.builder(CodecId.AAC).config(ASC).audio(44100, 2).build();
    }

    static Track hevc() {
        return Track.builder(CodecId.H265).config(HVCC).build();
    }

    static Track opus() {
        return Track.builder(CodecId.OPUS).config(OPUS_HEAD).audio(48000, 2).build();
    }

    static Track av1() {
        return Track.builder(CodecId.AV1).config(AV1C).build();
    }

    /**
     * Returns the payload of video frame {@code n}: one 4-byte length-prefixed NAL unit (or, for
     * AV1, one OBU) whose header says IDR or not for the codec, followed by a few counting bytes.
     */
    static byte[] videoPayload(CodecId codec, int n, boolean keyframe) {
        byte[] nal = switch (codec) {
            // H.264 NAL header: nal_unit_type 5 (IDR) or 1 (non-IDR), nal_ref_idc 3.
            case H264 -> new byte[] {(byte) (keyframe ? 0x65 : 0x61), (byte) n, (byte) (n >> 8), 0x11};
            // H.265 NAL header: nal_unit_type 19 (IDR_W_RADL) or 1 (TRAIL_R), layer 0, tid 1.
            case H265 -> new byte[] {(byte) (keyframe ? 0x26 : 0x02), 0x01, (byte) n, (byte) (n >> 8), 0x22};
            // AV1 OBU: OBU_FRAME (type 6) with obu_has_size_field, size 3, then payload.
            case AV1 -> new byte[] {0x32, 0x03, (byte) n, (byte) (n >> 8), 0x33};
            default -> throw new IllegalArgumentException(codec.name());
        };
        if (codec == CodecId.AV1) {
            return nal;
        }
        byte[] out = new byte[4 + nal.length];
        out[3] = (byte) nal.length;
        System.arraycopy(nal, 0, out, 4, nal.length);
        return out;
    }

    static byte[] audioPayload(int n) {
        return new byte[] {0x21, (byte) n, (byte) (n >> 8), 0x44, 0x55};
    }

    /** Makes a frame; the caller owns it. */
    static MediaFrame frame(Track track, long dts, long pts, boolean keyframe, byte[] payload) {
        return MediaFrame.of(track, dts, pts, keyframe, Unpooled.wrappedBuffer(payload.clone()));
    }
}

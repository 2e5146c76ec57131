package io.livehub.ts;

import io.livehub.media.CodecId;

/**
 * Names the {@code stream_type} values of ITU-T H.222.0 Table 2-34 that the muxer writes and
 * the demuxer reads, and maps hub codecs to them.
 */
public final class TsStreamType {

    /** ISO/IEC 13818-7 audio with ADTS transport syntax (AAC). */
    public static final int AAC_ADTS = 0x0F;
    /** AVC video stream (ITU-T H.264). */
    public static final int H264 = 0x1B;
    /** HEVC video stream (ITU-T H.265). */
    public static final int H265 = 0x24;
    /**
     * PES packets containing private data; Opus is carried so, identified by a registration
     * descriptor with {@code format_identifier} "Opus".
     */
    public static final int PRIVATE_PES = 0x06;

    private TsStreamType() {
    }

    /**
     * Returns the stream type that carries {@code codec}.
     *
     * @throws IllegalArgumentException when the muxer cannot carry the codec
     */
    public static int of(CodecId codec) {
        switch (codec) {
            case H264:
                return H264;
            case H265:
                return H265;
            case AAC:
                return AAC_ADTS;
            case OPUS:
                return PRIVATE_PES;
            default:
                throw new IllegalArgumentException("MPEG-TS muxer cannot carry " + codec);
        }
    }
}

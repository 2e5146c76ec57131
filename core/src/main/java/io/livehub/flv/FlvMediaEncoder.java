package io.livehub.flv;

import io.livehub.media.CodecId;
import io.livehub.media.EgressForm;
import io.livehub.media.EgressForms;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Converts hub media to FLV tag bodies and tags, the egress counterpart of
 * {@link FlvMediaDecoder}. H.264 and AAC use the legacy bodies (Adobe FLV v10.1, Annex E.4.2.1
 * and E.4.3.1) so that every FLV player plays them; MP3 uses the legacy body too. H.265 (hvc1),
 * AV1 (av01), VP9 (vp09) and Opus use Enhanced RTMP v2 bodies. An H.265 frame whose composition
 * time is 0 is written as CodedFramesX, which leaves the field out. AV1, VP9 and audio bodies
 * have no composition time field, so their pts is not carried (a reader takes pts = dts, as
 * those codecs in FLV do not reorder). Frames of a data track
 * become script data tags with the payload as their body.
 *
 * <p>Every output depends only on its frame or track, never on a subscriber, so a stream
 * encodes each frame once and shares the result with all players ({@link #tagForm}). Tag
 * timestamps are the frame's dts in milliseconds modulo 2^32, as FLV timestamps wrap.
 *
 * <p>Thread-safety: stateless.
 */
public final class FlvMediaEncoder {

    /**
     * Returns the FLV tag form of a frame in {@code forms} (a server's, from
     * {@code StreamHub.egressForms()}): header, body and PreviousTagSize, as written by HTTP-FLV
     * and FLV recordings, {@code frame.encoded(FlvMediaEncoder.tagForm(forms), alloc)}.
     */
    public static EgressForm tagForm(EgressForms forms) {
        return forms.of("flv.tag", FlvMediaEncoder::encodeTag);
    }

    /** SoundFormat 10, 44 kHz, 16-bit, stereo: the fixed first byte of AAC bodies (Annex E.4.2.1). */
    private static final int AAC_FLAGS = 0x0F;

    private FlvMediaEncoder() {
    }

    /** Returns the FLV tag type that carries {@code track}'s frames. */
    public static FlvTagType tagType(Track track) {
        switch (track.kind()) {
            case VIDEO:
                return FlvTagType.VIDEO;
            case AUDIO:
                return FlvTagType.AUDIO;
            default:
                return FlvTagType.SCRIPT_DATA;
        }
    }

    /**
     * Returns the tag body (an RTMP audio, video or data message) for {@code frame}.
     *
     * <p>Ownership: {@code frame} is borrowed; its payload is read with absolute indexes. The
     * caller releases the returned buffer.
     *
     * @throws io.livehub.media.MalformedMediaException when the composition time does not fit
     *     FLV's signed 24 bits
     * @throws IllegalArgumentException when FLV cannot carry the frame's codec
     */
    public static ByteBuf encodeBody(MediaFrame frame, ByteBufAllocator alloc) {
        ByteBuf payload = frame.content();
        ByteBuf out = alloc.buffer(bodyHeaderLength(frame) + payload.readableBytes());
        try {
            writeBody(frame, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Returns one complete FLV tag for {@code frame}: header, body and PreviousTagSize, in one
     * buffer of exactly the right size. This is the {@link #tagForm} encoder.
     *
     * <p>Ownership: {@code frame} is borrowed; its payload is read with absolute indexes. The
     * caller releases the returned buffer (when called through {@link MediaFrame#encoded},
     * the frame does).
     *
     * @throws io.livehub.media.MalformedMediaException when the composition time does not fit
     *     FLV's signed 24 bits
     * @throws IllegalArgumentException when FLV cannot carry the frame's codec
     */
    public static ByteBuf encodeTag(MediaFrame frame, ByteBufAllocator alloc) {
        int bodySize = bodyHeaderLength(frame) + frame.content().readableBytes();
        ByteBuf out = alloc.buffer(FlvTagDecoder.TAG_HEADER_LENGTH + bodySize + FlvTagDecoder.PREVIOUS_TAG_SIZE_LENGTH);
        try {
            FlvTagEncoder.writeHeader(out, tagType(frame.track()), frame.dtsMillis(), bodySize);
            writeBody(frame, out);
            out.writeInt(FlvTagDecoder.TAG_HEADER_LENGTH + bodySize);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Returns the sequence header tag body for {@code track} (a key frame SequenceStart or
     * AVC/AAC sequence header carrying its configuration), or null when the codec has none
     * (MP3, data) or the track carries no configuration. An avcC or hvcC is written with
     * lengthSizeMinusOne set to 3, as hub frames use 4-byte NAL unit lengths.
     *
     * <p>Ownership: the caller releases the returned buffer.
     */
    public static ByteBuf encodeSequenceHeader(Track track, ByteBufAllocator alloc) {
        if (!track.hasConfig() || !hasSequenceHeader(track.codec())) {
            return null;
        }
        byte[] config = track.config();
        CodecId codec = track.codec();
        if (codec == CodecId.H264 && config.length > 4) {
            config[4] |= 0x03;
        } else if (codec == CodecId.H265 && config.length > 21) {
            config[21] |= 0x03;
        }
        ByteBuf out = alloc.buffer(5 + config.length);
        switch (codec) {
            case H264:
                FlvVideoData.writeLegacyHeader(out, FlvVideoData.FRAME_KEY, FlvVideoData.CODEC_AVC,
                        FlvVideoPacketType.SEQUENCE_START, 0);
                break;
            case AAC:
                FlvAudioData.writeLegacyHeader(out, FlvAudioData.FORMAT_AAC, AAC_FLAGS, FlvAudioPacketType.SEQUENCE_START);
                break;
            case OPUS:
                FlvAudioData.writeEnhancedHeader(out, codec, FlvAudioPacketType.SEQUENCE_START);
                break;
            default:
                FlvVideoData.writeEnhancedHeader(out, FlvVideoData.FRAME_KEY, codec, FlvVideoPacketType.SEQUENCE_START, 0);
                break;
        }
        out.writeBytes(config);
        return out;
    }

    /**
     * Returns the end-of-sequence tag body for {@code track} (AVC end of sequence, or an
     * enhanced SequenceEnd), or null when its codec has none in FLV (AAC, MP3, data).
     *
     * <p>Ownership: the caller releases the returned buffer.
     */
    public static ByteBuf encodeSequenceEnd(Track track, ByteBufAllocator alloc) {
        CodecId codec = track.codec();
        if (!hasSequenceHeader(codec) || codec == CodecId.AAC) {
            return null;
        }
        ByteBuf out = alloc.buffer(5);
        if (codec == CodecId.H264) {
            FlvVideoData.writeLegacyHeader(out, FlvVideoData.FRAME_KEY, FlvVideoData.CODEC_AVC,
                    FlvVideoPacketType.SEQUENCE_END, 0);
        } else if (codec == CodecId.OPUS) {
            FlvAudioData.writeEnhancedHeader(out, codec, FlvAudioPacketType.SEQUENCE_END);
        } else {
            FlvVideoData.writeEnhancedHeader(out, FlvVideoData.FRAME_KEY, codec, FlvVideoPacketType.SEQUENCE_END, 0);
        }
        return out;
    }

    private static boolean hasSequenceHeader(CodecId codec) {
        switch (codec) {
            case H264:
            case H265:
            case AV1:
            case VP9:
            case AAC:
            case OPUS:
                return true;
            default:
                return false;
        }
    }

    private static int bodyHeaderLength(MediaFrame frame) {
        switch (frame.track().codec()) {
            case H264:
                return 5; // FrameType/CodecID, AVCPacketType, CompositionTime
            case H265:
                return compositionTime(frame) == 0 ? 5 : 8; // ExHeader byte, FourCC[, CompositionTime]
            case AV1:
            case VP9:
            case OPUS:
                return 5; // ExHeader byte, FourCC
            case AAC:
                return 2; // SoundFormat..SoundType, AACPacketType
            case MP3:
                return 1;
            case SCRIPT_DATA:
                return 0;
            default:
                throw new IllegalArgumentException("FLV cannot carry " + frame.track().codec());
        }
    }

    private static void writeBody(MediaFrame frame, ByteBuf out) {
        CodecId codec = frame.track().codec();
        int frameType = frame.isKeyframe() ? FlvVideoData.FRAME_KEY : FlvVideoData.FRAME_INTER;
        switch (codec) {
            case H264:
                FlvVideoData.writeLegacyHeader(out, frameType, FlvVideoData.CODEC_AVC, FlvVideoPacketType.CODED_FRAMES,
                        compositionTime(frame));
                break;
            case H265: {
                int cts = compositionTime(frame);
                FlvVideoData.writeEnhancedHeader(out, frameType, codec,
                        cts == 0 ? FlvVideoPacketType.CODED_FRAMES_X : FlvVideoPacketType.CODED_FRAMES, cts);
                break;
            }
            case AV1:
            case VP9:
                FlvVideoData.writeEnhancedHeader(out, frameType, codec, FlvVideoPacketType.CODED_FRAMES, 0);
                break;
            case AAC:
                FlvAudioData.writeLegacyHeader(out, FlvAudioData.FORMAT_AAC, AAC_FLAGS, FlvAudioPacketType.CODED_FRAMES);
                break;
            case MP3:
                FlvAudioData.writeLegacyHeader(out, FlvAudioData.FORMAT_MP3, mp3Flags(frame.track()),
                        FlvAudioPacketType.CODED_FRAMES);
                break;
            case OPUS:
                FlvAudioData.writeEnhancedHeader(out, codec, FlvAudioPacketType.CODED_FRAMES);
                break;
            case SCRIPT_DATA:
                break;
            default:
                throw new IllegalArgumentException("FLV cannot carry " + codec);
        }
        ByteBuf payload = frame.content();
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }

    private static int compositionTime(MediaFrame frame) {
        Track t = frame.track();
        long cts = t.timebase().toMillis(frame.pts()) - t.timebase().toMillis(frame.dts());
        return FlvVideoData.checkCompositionTime(cts);
    }

    /**
     * Returns SoundRate, SoundSize (16-bit) and SoundType for an MP3 track. Rates FLV cannot
     * name (48 kHz, 32 kHz, unknown) are written as 44 kHz, as ffmpeg does: decoders take the
     * rate from the MP3 frame header.
     */
    private static int mp3Flags(Track track) {
        int rate;
        switch (track.sampleRate()) {
            case 5512:
            case 5513:
                rate = 0;
                break;
            case 11025:
                rate = 1;
                break;
            case 22050:
                rate = 2;
                break;
            default:
                rate = 3;
                break;
        }
        return rate << 2 | 0x02 | (track.channels() == 1 ? 0 : 1);
    }
}

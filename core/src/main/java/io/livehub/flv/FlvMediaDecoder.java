package io.livehub.flv;

import io.livehub.codec.LengthPrefixedNalUnits;
import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.av1.Av1CodecConfigurationRecord;
import io.livehub.codec.av1.Av1SequenceHeader;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h264.H264Sps;
import io.livehub.codec.h265.H265NalUnitType;
import io.livehub.codec.h265.H265Sps;
import io.livehub.codec.h265.HevcDecoderConfigurationRecord;
import io.livehub.codec.opus.OpusHead;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.MediaSink;
import io.livehub.media.TimestampUnwrapper;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Converts the audio and video tags of one FLV or RTMP stream to the hub's media model
 * (ARCHITECTURE.md section 2): sequence headers become {@link Track}s, coded frames become
 * {@link MediaFrame}s in canonical form. Bodies are parsed by {@link FlvVideoData} and
 * {@link FlvAudioData}, legacy (Adobe FLV v10.1, Annex E.4.2.1 and E.4.3.1) or enhanced
 * (Enhanced RTMP v2).
 *
 * <p>What each tag yields, given to the {@link MediaSink}:
 * <ul>
 *   <li>A sequence header (SequenceStart, AVC/AAC sequence header) with a configuration that
 *       differs from the current one: a new {@link Track} (id {@value #VIDEO_TRACK_ID} for
 *       video, {@value #AUDIO_TRACK_ID} for audio, timebase {@link Timebase#MILLIS}) whose
 *       config is the decoder configuration record (avcC, hvcC, av1C, vpcC), the
 *       AudioSpecificConfig (AAC) or the OpusHead (Opus). An identical repeat yields nothing, so
 *       egress does not resend it. An avcC or hvcC is stored with lengthSizeMinusOne set to 3,
 *       matching the 4-byte lengths of the frames.
 *   <li>A coded frame after its sequence header: a {@link MediaFrame}. H.264 and H.265 payloads
 *       are 4-byte length-prefixed NAL units, converted when the stream uses 1-, 2- or 3-byte
 *       lengths; AV1 payloads are OBUs, VP9, AAC, Opus and MP3 payloads raw frames. dts is the
 *       tag timestamp with 32-bit wrap-around undone per track; pts is dts plus the composition
 *       time. MP3 has no sequence header: its first frame, and one whose rate or channels
 *       change, first yields a Track.
 *   <li>Nothing for a coded frame before its sequence header (counted in
 *       {@link #droppedFrames()}), and nothing for sequence ends, metadata, command frames,
 *       multichannel configurations, multitrack bodies, empty frames and codecs the hub does
 *       not support (Sorenson, VP6, VP8, PCM, FLAC, AC-3, ...; counted in
 *       {@link #ignoredTags()}). Multitrack bodies are dropped because the tracks of this
 *       decoder are fixed to one video and one audio; encoders that send extra tracks (OBS
 *       multitrack video) send the default track as a plain body, which is kept.
 * </ul>
 * Script data (tag type 18) is not media and yields nothing; the caller handles it.
 *
 * <p>Thread-safety: not thread-safe; one decoder per stream, used on its event loop.
 */
public final class FlvMediaDecoder {

    /** The track id of the video track. */
    public static final int VIDEO_TRACK_ID = 0;
    /** The track id of the audio track. */
    public static final int AUDIO_TRACK_ID = 1;

    private static final byte[] OPUS_HEAD = "OpusHead".getBytes(StandardCharsets.US_ASCII);
    /** Length of an OpusHead with channel mapping family 0 (RFC 7845, section 5.1). */
    private static final int OPUS_HEAD_MIN_LENGTH = 19;

    private final TimestampUnwrapper videoClock = TimestampUnwrapper.ofBits(32);
    private final TimestampUnwrapper audioClock = TimestampUnwrapper.ofBits(32);
    private Track video;
    private int nalLengthSize;
    private Track audio;
    private long droppedFrames;
    private long ignoredTags;

    /**
     * Converts one audio or video tag body; see the class notes for what is added to
     * {@code out}.
     *
     * <p>Ownership: {@code body} is borrowed and its indexes do not move; the caller releases
     * it. A frame's payload is a retained slice of {@code body} (no copy) unless its NAL unit
     * lengths had to be widened, so a producer may release {@code body} at once. Every
     * {@link MediaFrame} given to {@code out} belongs to it.
     *
     * @param timestamp the tag or RTMP message timestamp in milliseconds; only its low 32 bits count
     * @throws MalformedMediaException when the body or a configuration record is malformed;
     *     nothing is given to {@code out} then
     */
    public void decode(FlvTagType type, long timestamp, ByteBuf body, MediaSink out) {
        Objects.requireNonNull(type, "type");
        switch (type) {
            case VIDEO:
                decodeVideo(timestamp, body, out);
                break;
            case AUDIO:
                decodeAudio(timestamp, body, out);
                break;
            default:
                break;
        }
    }

    /**
     * Converts one tag; the same as {@code decode(tag.type(), tag.timestamp(), tag.content(), out)}.
     *
     * <p>Ownership: {@code tag} is borrowed; the caller releases it. Frames given to
     * {@code out} belong to it.
     *
     * @throws MalformedMediaException when the body or a configuration record is malformed
     */
    public void decode(FlvTag tag, MediaSink out) {
        decode(tag.type(), tag.timestamp(), tag.content(), out);
    }

    /** Returns the current video track, or null before the first video sequence header. */
    public Track videoTrack() {
        return video;
    }

    /** Returns the current audio track, or null before the first audio sequence header or MP3 frame. */
    public Track audioTrack() {
        return audio;
    }

    /** Returns how many coded frames were dropped because their sequence header had not come. */
    public long droppedFrames() {
        return droppedFrames;
    }

    /** Returns how many audio and video tags yielded nothing: unsupported codecs, empty frames, sequence ends, metadata, commands, multitrack. */
    public long ignoredTags() {
        return ignoredTags;
    }

    private void decodeVideo(long timestamp, ByteBuf body, MediaSink out) {
        FlvVideoData v = FlvVideoData.decode(body.duplicate());
        try {
            CodecId codec = v.codec();
            if (codec == null || v.isCommand()) {
                ignoredTags++;
                return;
            }
            ByteBuf data = v.content();
            switch (v.packetType()) {
                case SEQUENCE_START:
                    if (!data.isReadable()) {
                        ignoredTags++;
                        return;
                    }
                    onVideoConfig(codec, ByteBufUtil.getBytes(data), out);
                    break;
                case CODED_FRAMES:
                case CODED_FRAMES_X:
                    if (video == null || video.codec() != codec) {
                        droppedFrames++;
                        return;
                    }
                    if (!data.isReadable()) {
                        ignoredTags++;
                        return;
                    }
                    ByteBuf payload = canonicalVideo(codec, data, body);
                    long dts = videoClock.unwrap(timestamp);
                    out.onFrame(MediaFrame.of(video, dts, dts + v.compositionTime(), v.isKeyframe(), payload));
                    break;
                default:
                    ignoredTags++;
                    break;
            }
        } finally {
            v.release();
        }
    }

    private ByteBuf canonicalVideo(CodecId codec, ByteBuf data, ByteBuf body) {
        if (codec != CodecId.H264 && codec != CodecId.H265) {
            return data.retainedSlice();
        }
        if (nalLengthSize == 4) {
            LengthPrefixedNalUnits.validate(data, 4);
            return data.retainedSlice();
        }
        return LengthPrefixedNalUnits.toFourByteLengths(data, nalLengthSize, body.alloc());
    }

    private void onVideoConfig(CodecId codec, byte[] config, MediaSink out) {
        int lengthSize = 0;
        switch (codec) {
            case H264:
                // AVCDecoderConfigurationRecord (ISO/IEC 14496-15, 5.3.3.1): version, profile,
                // compatibility, level, then lengthSizeMinusOne in the low 2 bits of byte 4.
                if (config.length < 7) {
                    throw new MalformedMediaException("avcC of " + config.length + " bytes is too short");
                }
                if (config[0] != 1) {
                    throw new MalformedMediaException("avcC configurationVersion " + (config[0] & 0xFF) + " is not 1");
                }
                lengthSize = (config[4] & 0x03) + 1;
                config[4] |= 0x03;
                break;
            case H265:
                // HEVCDecoderConfigurationRecord (ISO/IEC 14496-15, 8.3.3.1): 22 fixed bytes
                // before lengthSizeMinusOne (low 2 bits of byte 21) and numOfArrays (byte 22).
                if (config.length < 23) {
                    throw new MalformedMediaException("hvcC of " + config.length + " bytes is too short");
                }
                lengthSize = (config[21] & 0x03) + 1;
                config[21] |= 0x03;
                break;
            case AV1:
                // AV1CodecConfigurationRecord (AV1 ISOBMFF binding, 2.3.3): 4 fixed bytes.
                if (config.length < 4) {
                    throw new MalformedMediaException("av1C of " + config.length + " bytes is too short");
                }
                break;
            default:
                break;
        }
        Track next = describe(Track.builder(codec).id(VIDEO_TRACK_ID).timebase(Timebase.MILLIS).config(config),
                codec, config).build();
        if (lengthSize == 3) {
            // ISO/IEC 14496-15 allows lengthSizeMinusOne of 0, 1 and 3 only.
            throw new MalformedMediaException(codec + " configuration has a reserved NAL unit length size of 3");
        }
        // The NAL unit length size is not part of the stored config (always 4 there), so a
        // repeat that only changes it yields no track but still changes how frames are read.
        nalLengthSize = lengthSize;
        if (!next.sameConfig(video)) {
            video = next;
            out.onTrack(next);
        }
    }

    private void decodeAudio(long timestamp, ByteBuf body, MediaSink out) {
        FlvAudioData a = FlvAudioData.decode(body.duplicate());
        try {
            CodecId codec = a.codec();
            if (codec == null) {
                ignoredTags++;
                return;
            }
            ByteBuf data = a.content();
            switch (a.packetType()) {
                case SEQUENCE_START:
                    if (!data.isReadable()) {
                        ignoredTags++;
                        return;
                    }
                    onAudioConfig(codec, ByteBufUtil.getBytes(data), out);
                    break;
                case CODED_FRAMES:
                    if (!data.isReadable()) {
                        ignoredTags++;
                        return;
                    }
                    if (codec == CodecId.MP3) {
                        onMp3Frame(a, out);
                    }
                    if (audio == null || audio.codec() != codec) {
                        droppedFrames++;
                        return;
                    }
                    long dts = audioClock.unwrap(timestamp);
                    out.onFrame(MediaFrame.of(audio, dts, dts, true, data.retainedSlice()));
                    break;
                default:
                    ignoredTags++;
                    break;
            }
        } finally {
            a.release();
        }
    }

    private void onAudioConfig(CodecId codec, byte[] config, MediaSink out) {
        switch (codec) {
            case AAC:
                // AudioSpecificConfig (ISO/IEC 14496-3, 1.6.2.1): object type and frequency index
                // take at least 2 bytes.
                if (config.length < 2) {
                    throw new MalformedMediaException("AudioSpecificConfig of " + config.length + " byte is too short");
                }
                break;
            case OPUS:
                if (config.length < OPUS_HEAD_MIN_LENGTH || !startsWith(config, OPUS_HEAD)) {
                    throw new MalformedMediaException("Opus sequence header is not an OpusHead (RFC 7845, 5.1)");
                }
                break;
            default:
                // MP3 has no configuration; a sequence header for it carries nothing to keep.
                ignoredTags++;
                return;
        }
        Track next = describe(Track.builder(codec).id(AUDIO_TRACK_ID).timebase(Timebase.MILLIS).config(config),
                codec, config).build();
        if (!next.sameConfig(audio)) {
            audio = next;
            out.onTrack(next);
        }
    }

    private void onMp3Frame(FlvAudioData a, MediaSink out) {
        if (audio != null && audio.codec() == CodecId.MP3 && audio.sampleRate() == a.sampleRate()
                && audio.channels() == a.channels()) {
            return;
        }
        audio = Track.builder(CodecId.MP3).id(AUDIO_TRACK_ID).timebase(Timebase.MILLIS)
                .audio(a.sampleRate(), a.channels()).build();
        out.onTrack(audio);
    }

    /**
     * Fills in what the codec configuration says about the track: width and height for
     * video, sample rate and channel count for audio. This is the one place where the codec
     * parsers (SPS, AV1 sequence header, AudioSpecificConfig, OpusHead) plug in; until they
     * do, those fields stay 0 (unknown).
     */
    /**
     * Fills in the size of a video track or the rate and channels of an audio track from its
     * configuration. These are informational: a configuration the codec parsers cannot read
     * still makes a usable track, without them.
     */
    private static Track.Builder describe(Track.Builder b, CodecId codec, byte[] config) {
        try {
            switch (codec) {
                case H264: {
                    List<byte[]> sps = AvcDecoderConfigurationRecord.parse(config).sequenceParameterSets();
                    if (!sps.isEmpty()) {
                        H264Sps p = H264Sps.parse(sps.get(0));
                        b.dimensions(p.width(), p.height());
                    }
                    break;
                }
                case H265: {
                    List<byte[]> sps = HevcDecoderConfigurationRecord.parse(config).nalUnits(H265NalUnitType.SPS);
                    if (!sps.isEmpty()) {
                        H265Sps p = H265Sps.parse(sps.get(0));
                        b.dimensions(p.width(), p.height());
                    }
                    break;
                }
                case AV1: {
                    Av1SequenceHeader h = Av1CodecConfigurationRecord.parse(config).sequenceHeader();
                    if (h != null) {
                        b.dimensions(h.maxFrameWidth(), h.maxFrameHeight());
                    }
                    break;
                }
                case AAC: {
                    AudioSpecificConfig asc = AudioSpecificConfig.parse(config);
                    b.audio(asc.samplingFrequency(), asc.channelConfiguration());
                    break;
                }
                case OPUS: {
                    OpusHead head = OpusHead.parse(config);
                    b.audio(48_000, head.channelCount());
                    break;
                }
                default:
                    break;
            }
        } catch (MalformedMediaException | IllegalArgumentException e) {
            // Keep the track without the informational fields.
        }
        return b;
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

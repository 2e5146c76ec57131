package io.livehub.isobmff;

import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.av1.Av1CodecConfigurationRecord;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h265.HevcDecoderConfigurationRecord;
import io.livehub.codec.opus.OpusHead;
import io.livehub.media.CodecId;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Describes how a hub {@link Track} is written to ISO-BMFF: its {@code track_ID} (ISO/IEC
 * 14496-12 §8.3.2) and its media {@code timescale} (§8.4.2), shared by the init segment and
 * every fragment of it.
 *
 * <p>The default timescale ({@link #defaultTimescale}) keeps the hub's ticks whenever it can,
 * so timestamps are copied, not rounded:
 * <ul>
 *   <li>Opus: 48000, which the Opus-in-ISOBMFF mapping (§4.3) recommends; ticks of 1/1000 or
 *       1/48000 convert exactly.
 *   <li>any other track whose timebase is {@code 1/N}: {@code N} (1000 for tracks from RTMP and
 *       FLV, 90000 from MPEG-TS, the sample rate from RTP audio).
 *   <li>a timebase such as {@code 1001/30000}: 90000 for video, the sample rate (or 48000 when
 *       unknown) for audio; ticks are converted with {@link Timebase#rescale}, rounding to the
 *       nearest.
 * </ul>
 *
 * <p>Supported codecs: H.264 ({@code avc1}), H.265 ({@code hvc1}), AV1 ({@code av01}), AAC and
 * MP3 ({@code mp4a}), Opus ({@code Opus}). Every one but MP3 needs its codec configuration.
 *
 * <p>A new {@code Track} with the same {@link Track#id()} (a new sequence header) needs a new
 * {@code IsoTrack} and a new init segment: fragments only name the {@code track_ID}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param track the hub track
 * @param trackId the ISO {@code track_ID}, 1 or more
 * @param timescale the media timescale in ticks per second
 */
public record IsoTrack(Track track, int trackId, int timescale) {

    /** The timescale of Opus tracks (Opus-in-ISOBMFF §4.3). */
    public static final int OPUS_TIMESCALE = 48_000;

    public IsoTrack {
        Objects.requireNonNull(track, "track");
        if (trackId < 1) {
            throw new IllegalArgumentException("track_ID must be 1 or more: " + trackId);
        }
        if (timescale < 1) {
            throw new IllegalArgumentException("timescale must be positive: " + timescale);
        }
        checkSupported(track);
    }

    /**
     * Returns the description of {@code track} with the default timescale.
     *
     * @throws IllegalArgumentException when the codec is not supported or its configuration is
     *     missing
     */
    public static IsoTrack of(Track track, int trackId) {
        return new IsoTrack(track, trackId, defaultTimescale(track));
    }

    /** Returns descriptions of {@code tracks} with {@code track_ID}s 1, 2, ... in list order. */
    public static List<IsoTrack> of(List<Track> tracks) {
        List<IsoTrack> out = new ArrayList<>(tracks.size());
        for (int i = 0; i < tracks.size(); i++) {
            out.add(of(tracks.get(i), i + 1));
        }
        return List.copyOf(out);
    }

    /** Returns the timescale chosen for {@code track} by the rules in the class notes. */
    public static int defaultTimescale(Track track) {
        if (track.codec() == CodecId.OPUS) {
            return OPUS_TIMESCALE;
        }
        Timebase tb = track.timebase();
        if (tb.num() == 1) {
            return tb.den();
        }
        if (track.kind() == TrackKind.VIDEO) {
            return Timebase.MPEG_90K.den();
        }
        return track.sampleRate() > 0 ? track.sampleRate() : 48_000;
    }

    /** Returns the media timebase, {@code 1/timescale}. */
    public Timebase mediaTimebase() {
        return Timebase.ofRate(timescale);
    }

    /** Converts {@code ticks} of the hub track's timebase to ticks of the media timescale. */
    public long toMediaTime(long ticks) {
        return track.timebase().rescale(ticks, mediaTimebase());
    }

    public boolean isVideo() {
        return track.kind() == TrackKind.VIDEO;
    }

    /**
     * Returns the RFC 6381 codecs parameter of this track as the sample entry says it, for an
     * HLS {@code CODECS} attribute: {@code avc1.64001f}, {@code hvc1.1.6.L93.B0},
     * {@code av01.0.04M.08}, {@code mp4a.40.2}, {@code mp4a.40.34} (MP3) or {@code opus}.
     */
    public String codecString() {
        byte[] config = track.config();
        switch (track.codec()) {
            case H264:
                return AvcDecoderConfigurationRecord.parse(config).codecString();
            case H265:
                return HevcDecoderConfigurationRecord.parse(config).codecString();
            case AV1:
                return Av1CodecConfigurationRecord.parse(config).codecString();
            case AAC:
                return AudioSpecificConfig.parse(config).codecString();
            case MP3:
                return "mp4a.40.34";
            case OPUS:
                return OpusHead.parse(config).codecString();
            default:
                throw new AssertionError(track.codec());
        }
    }

    /** Returns the codecs parameters of {@code tracks} joined by commas, an HLS {@code CODECS} value. */
    public static String codecs(List<IsoTrack> tracks) {
        StringBuilder b = new StringBuilder();
        for (IsoTrack t : tracks) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(t.codecString());
        }
        return b.toString();
    }

    private static void checkSupported(Track track) {
        switch (track.codec()) {
            case H264:
            case H265:
            case AV1:
            case AAC:
            case OPUS:
                if (!track.hasConfig()) {
                    throw new IllegalArgumentException(track.codec() + " track has no codec configuration: " + track);
                }
                break;
            case MP3:
                if (track.sampleRate() <= 0) {
                    throw new IllegalArgumentException("MP3 track has no sample rate: " + track);
                }
                break;
            default:
                throw new IllegalArgumentException("ISO-BMFF writer does not carry " + track.codec());
        }
    }
}

package io.livehub.hls;

import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.testing.FlvFrames;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Makes frames for HLS tests on the real tracks of h264_aac.flv (so that every muxer accepts
 * their codec configurations): 25 fps video with a keyframe on every whole second and an AAC
 * frame every 23 ms, with tiny payloads.
 */
public final class SyntheticMedia {

    public static final Track VIDEO;
    public static final Track AUDIO;

    static {
        try (FlvFrames flv = FlvFrames.read("h264_aac.flv")) {
            VIDEO = flv.track(TrackKind.VIDEO);
            AUDIO = flv.track(TrackKind.AUDIO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SyntheticMedia() {
    }

    /** Returns a one-NAL-unit H.264 frame: IDR (type 5) or non-IDR slice (type 1). */
    public static MediaFrame video(Track t, long ms, boolean key) {
        byte[] nal = {0, 0, 0, 3, (byte) (key ? 0x65 : 0x41), (byte) 0x88, 0x04};
        return MediaFrame.of(t, ms, ms, key, Unpooled.wrappedBuffer(nal));
    }

    /** Returns a short raw AAC frame. */
    public static MediaFrame audio(Track t, long ms) {
        return MediaFrame.of(t, ms, ms, true, Unpooled.wrappedBuffer(new byte[] {0x21, 0x10, 0x04, 0x60, (byte) 0x8c}));
    }

    /**
     * Hands {@code sink} the interleaved frames from {@code fromMs} to {@code toMs} (media time),
     * with {@code offsetMs} added to their timestamps; a null track is left out.
     *
     * <p>Ownership: {@code sink} takes each frame's reference.
     */
    public static void feed(long fromMs, long toMs, long offsetMs, Track v, Track a, Consumer<MediaFrame> sink) {
        long audioMs = (fromMs + 22) / 23 * 23;
        for (long ms = fromMs; ms < toMs; ms += 40) {
            while (a != null && audioMs <= ms) {
                sink.accept(audio(a, audioMs + offsetMs));
                audioMs += 23;
            }
            if (v != null) {
                sink.accept(video(v, ms + offsetMs, ms % 1000 == 0));
            }
        }
    }
}

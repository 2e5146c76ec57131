package io.livehub.mp4;

import io.livehub.hub.Publication;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.testing.FlvFrames;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Synthetic media for recording tests: 25 fps H.264 with a keyframe every second and
 * 1024-sample AAC at 44.1 kHz, with the codec configurations of core's FLV test file and
 * millisecond timestamps; the payloads are a few bytes, as only the container is checked.
 */
final class SyntheticMedia {

    static final Track VIDEO;
    static final Track AUDIO;

    static {
        Track v = null;
        Track a = null;
        try (FlvFrames flv = FlvFrames.read("h264_aac.flv")) {
            for (Track t : flv.tracks) {
                if (t.kind() == TrackKind.VIDEO) {
                    v = t;
                } else {
                    a = t;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VIDEO = v;
        AUDIO = a;
    }

    private SyntheticMedia() {
    }

    /** Publishes media from {@code fromMs} to {@code toMs} on the publication's thread, in decode order. */
    static void feed(Publication p, long fromMs, long toMs, Track audio) throws Exception {
        p.executor().submit(() -> {
            long v = (fromMs + 39) / 40 * 40;
            long a = (long) Math.ceil(fromMs * 44.1 / 1024) * 1024;
            while (v < toMs || a * 1000 / 44100 < toMs) {
                long aMs = a * 1000 / 44100;
                if (v < toMs && (v <= aMs || aMs >= toMs)) {
                    p.publish(MediaFrame.of(VIDEO, v, v, v % 1000 == 0,
                            Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, (byte) (v % 1000 == 0 ? 0x65 : 0x41), 1})));
                    v += 40;
                } else {
                    p.publish(MediaFrame.of(audio, aMs, aMs, true, Unpooled.wrappedBuffer(new byte[] {0x21, 0x10, 4})));
                    a += 1024;
                }
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /**
     * Publishes a second at a time with a pause after each, so a recorder's bounded hub queue
     * never overflows on a slow machine.
     */
    static void feedSlowly(Publication p, long fromMs, long toMs, Track audio) throws Exception {
        for (long t = fromMs; t < toMs; t += 1000) {
            feed(p, t, Math.min(toMs, t + 1000), audio);
            Thread.sleep(100);
        }
    }
}

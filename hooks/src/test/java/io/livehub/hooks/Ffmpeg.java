package io.livehub.hooks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.testing.ExternalProcess;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Runs ffmpeg publishers and players against a server for the interop tests. */
final class Ffmpeg {

    private Ffmpeg() {
    }

    /** Starts publishing a small test pattern for {@code seconds} to {@code url}. */
    static ExternalProcess publish(Path dir, String url, int seconds) throws Exception {
        return ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-f", "flv", url);
    }

    /** Plays {@code url} until 10 video frames arrived. */
    static ExternalProcess play(Path dir, String url) throws Exception {
        return ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-i", url,
                "-frames:v", "10", "-f", "null", "-");
    }

    /** Returns whether {@code key} is being published with media flowing. */
    static boolean live(MediaServer server, StreamKey key) {
        LiveStream s = server.hub().stream(key);
        return s != null && s.isPublishing() && s.framesIn() > 5;
    }

    static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not within 20 s");
            Thread.sleep(20);
        }
    }
}

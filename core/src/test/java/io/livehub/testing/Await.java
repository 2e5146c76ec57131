package io.livehub.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits in tests for a condition, polling, and fails with a message when it does not come. */
public final class Await {

    private Await() {
    }

    /** Waits up to {@code seconds} for {@code condition}; fails with "waited N s for {@code what}". */
    public static void until(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited " + seconds + " s for " + what);
            Thread.sleep(20);
        }
    }

    /** Waits up to 20 s until {@code key} is published on {@code server} and has taken {@code frames} frames. */
    public static void live(MediaServer server, StreamKey key, long frames) throws InterruptedException {
        until(() -> {
            LiveStream s = server.hub().stream(key);
            return s != null && s.isPublishing() && s.framesIn() >= frames;
        }, 20, key + " to go live with " + frames + " frames");
    }
}

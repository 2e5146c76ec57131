package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.livehub.testing.ExternalProcess;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several SRT players of one stream read the stream's one TS encoding (each with its own
 * continuity counters, PAT and PMT): ffprobe, reading each player's SRT input directly and
 * decoding every frame, finds no continuity-counter error and every frame the publisher sent.
 */
@Tag("interop")
class SrtSharedEncodingInteropTest {

    private static final int PLAYERS = 3;
    private static final int FRAMES = 75;

    @TempDir
    Path dir;

    private MediaServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyPlayerReadsEveryFrameWithoutContinuityErrors() throws Exception {
        server = MediaServer.builder().httpPort(-1)
                .module(SrtModule.builder().host("127.0.0.1").port(0).build()).start();
        String srt = "srt://127.0.0.1:" + server.port("srt") + "?streamid=";
        StreamKey key = StreamKey.of("live", "shared");
        List<ExternalProcess> players = new ArrayList<>();
        try {
            // The players wait for the publisher, so each one gets the stream from its first frame.
            for (int i = 0; i < PLAYERS; i++) {
                players.add(ExternalProcess.start(dir, "ffprobe", "-v", "debug", "-count_frames",
                        "-show_entries", "stream=codec_type,nb_read_frames", "-of", "csv=p=0",
                        srt + "#!::r=live/shared,m=request"));
            }
            PayloadCollector.await(() -> server.clients().size() == PLAYERS, 10_000, "the players listed");
            // What reached the hub, counted by a subscriber of its own.
            AtomicInteger published = new AtomicInteger();
            Subscription counter = server.hub().subscribe(key, new StreamSubscriber() {
                @Override
                public EventExecutor executor() {
                    return GlobalEventExecutor.INSTANCE;
                }

                @Override
                public void onFrame(MediaFrame frame) {
                    if (frame.isVideo()) {
                        published.incrementAndGet();
                    }
                }
            });
            ExternalProcess.Result pub = ExternalProcess.run(dir, 30, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-re", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-f", "lavfi", "-i", "sine",
                    "-frames:v", String.valueOf(FRAMES), "-c:v", "libx264", "-preset", "ultrafast", "-tune",
                    "zerolatency", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-f", "mpegts",
                    srt + "#!::r=live/shared,m=publish&pkt_size=1316");
            assertEquals(0, pub.exitCode(), pub.describe());
            PayloadCollector.await(() -> server.hub().stream(key) == null || !server.hub().stream(key).isPublishing(),
                    10_000, "the publisher's end");
            // The players' receivers hold the last packets for their latency (120 ms); let them
            // deliver before the server ends the players' connections.
            Thread.sleep(1000);
            counter.close();
            // The last frame can be lost when the encoder closes before its retransmission (a
            // loaded machine); what this test is about is that every player reads what was published.
            assertTrue(published.get() >= FRAMES - 2, "video frames published: " + published.get());
            for (ClientSession c : server.clients().list()) {
                c.kick();
            }
            for (ExternalProcess p : players) {
                ExternalProcess.Result r = p.await(20);
                String output = r.output();
                assertFalse(output.contains("Continuity check failed"), "continuity errors: " + r.describe());
                assertEquals(0, r.exitCode(), r.describe());
                assertEquals(published.get(), videoFrames(output), "video frames read: " + r.describe());
            }
        } finally {
            for (ExternalProcess p : players) {
                p.close();
            }
        }
    }

    /** Returns ffprobe's {@code video,N} line's N. */
    private static int videoFrames(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("video,")) {
                return Integer.parseInt(line.substring("video,".length()).trim());
            }
        }
        return -1;
    }
}

package io.livehub.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Interop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs two servers in one JVM with different RTMP chunk sizes (each server has its own egress
 * forms) and plays each over RTMP and HTTP-FLV with ffmpeg: every player gets every frame of its
 * server's stream, decodable, in the chunk size its server announced.
 */
@Tag("interop")
class TwoServersInteropTest {

    @TempDir
    Path dir;

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 20 s");
            Thread.sleep(20);
        }
    }

    @Test
    void twoServersWithDifferentChunkSizesServeTheirPlayers() throws Exception {
        Interop.require("ffmpeg");
        int[] chunkSizes = {128, 60_000};
        List<MediaServer> servers = new ArrayList<>();
        List<ExternalProcess> publishers = new ArrayList<>();
        try {
            for (int size : chunkSizes) {
                servers.add(MediaServer.builder().httpPort(0)
                        .module(RtmpModule.builder().host("127.0.0.1").port(0).chunkSize(size).build())
                        .module(HttpFlvModule.builder().build())
                        .start());
            }
            assertNotEquals(servers.get(0).serverId(), servers.get(1).serverId());
            StreamKey key = StreamKey.of("live", "s");
            for (MediaServer s : servers) {
                publishers.add(ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine",
                        "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac",
                        "-f", "flv", "rtmp://127.0.0.1:" + s.port("rtmp") + "/live/s"));
            }
            for (MediaServer s : servers) {
                await(() -> s.hub().stream(key) != null && s.hub().stream(key).framesIn() > 25);
            }
            List<ExternalProcess> players = new ArrayList<>();
            for (MediaServer s : servers) {
                players.add(ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-xerror",
                        "-i", "rtmp://127.0.0.1:" + s.port("rtmp") + "/live/s", "-frames:v", "75", "-f", "null", "-"));
                players.add(ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-xerror",
                        "-i", "http://127.0.0.1:" + s.port("http") + "/live/s.flv", "-frames:v", "75", "-f", "null",
                        "-"));
            }
            for (ExternalProcess p : players) {
                ExternalProcess.Result r = p.await(40);
                assertEquals(0, r.exitCode(), r.describe());
                assertTrue(r.output().isBlank(), "decoded without errors: " + r.output());
            }
        } finally {
            for (ExternalProcess p : publishers) {
                p.close();
            }
            for (MediaServer s : servers) {
                s.close();
            }
        }
    }
}

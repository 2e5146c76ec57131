package io.livehub.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.livehub.testing.ExternalProcess;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lists the clients of a running server and kicks them, with ffmpeg as publisher and players. */
@Tag("interop")
class ClientRegistryInteropTest {

    @TempDir
    Path dir;

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 20 s");
            Thread.sleep(20);
        }
    }

    private static ClientSession withRole(MediaServer server, ClientSession.Role role, String protocol) {
        return server.clients().list().stream()
                .filter(c -> c.role() == role && c.info().protocol().equals(protocol)).findFirst().orElse(null);
    }

    @Test
    void listsPublisherAndPlayersAndKicksThem() throws Exception {
        try (MediaServer server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(HttpFlvModule.builder().build()).start()) {
            String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/reg";
            String flv = "http://127.0.0.1:" + server.port("http") + "/live/reg.flv";
            StreamKey key = StreamKey.of("live", "reg");
            try (ExternalProcess pub = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "30", "-c:v", "libx264",
                    "-preset", "ultrafast", "-g", "25", "-f", "flv", rtmp);
                 ExternalProcess rtmpPlayer = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-i", rtmp, "-c", "copy", "-f", "null", "-");
                 ExternalProcess flvPlayer = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-i", flv, "-c", "copy", "-f", "null", "-")) {
                await(() -> withRole(server, ClientSession.Role.PUBLISHING, "rtmp") != null
                        && withRole(server, ClientSession.Role.PLAYING, "rtmp") != null
                        && withRole(server, ClientSession.Role.PLAYING, "http-flv") != null);
                ClientSession publisher = withRole(server, ClientSession.Role.PUBLISHING, "rtmp");
                assertEquals(key, publisher.stream());
                assertEquals("127.0.0.1", publisher.info().ip());
                await(() -> publisher.bytesIn() > 10_000
                        && withRole(server, ClientSession.Role.PLAYING, "http-flv").bytesOut() > 10_000);

                ClientSession flvSession = withRole(server, ClientSession.Role.PLAYING, "http-flv");
                assertTrue(server.clients().kick(flvSession.info().clientId()));
                ExternalProcess.Result kicked = flvPlayer.await(20);
                assertTrue(kicked.exitCode() >= 0, "the kicked HTTP-FLV player ends: " + kicked.describe());
                await(() -> server.clients().find(flvSession.info().clientId()).isEmpty());

                assertTrue(server.clients().kick(publisher.info().clientId()));
                await(() -> server.hub().stream(key) == null || !server.hub().stream(key).isPublishing());
                ExternalProcess.Result pubResult = pub.await(20);
                assertTrue(pubResult.exitCode() != -1, "the kicked publisher ends: " + pubResult.describe());
                assertFalse(server.clients().kick("no-such-client"));
            }
        }
    }
}

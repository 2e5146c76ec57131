package io.livehub.push;

import io.livehub.testing.NginxRtmp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes over RTMP to a real nginx-rtmp and reads the stream back from nginx with ffmpeg:
 * both tracks arrive, from a keyframe, with increasing timestamps. Tagged {@code interop}.
 */
@Tag("interop")
class PushNginxInteropTest {

    @TempDir
    Path dir;

    private MediaServer source;
    private NginxRtmp nginx;
    private LoopingSource publisher;

    @AfterEach
    void stop() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (source != null) {
            source.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void nginxRelaysWhatThePushSends() throws Exception {
        nginx = NginxRtmp.start(dir);
        PushModule push = PushModule.builder().build();
        source = MediaServer.builder().httpPort(0).module(push).start();
        publisher = new LoopingSource(source.hub(), StreamKey.of("live", "show"), source.transport().workerGroup().next());
        push.start(PushTaskSpec.builder().id("nginx").stream("live", "show").protocol(PushProtocol.RTMP)
                .url("rtmp://127.0.0.1:" + nginx.port + "/live/relayed").build());
        PushRtmpTest.await(() -> push.get("nginx").orElseThrow().state() == PushState.PUSHING, 20, "pushing to nginx");

        Path out = dir.resolve("from-nginx.flv");
        ExternalProcess.Result r = ExternalProcess.run(dir, 40, "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-i", "rtmp://127.0.0.1:" + nginx.port + "/live/relayed", "-t", "3", "-c", "copy", out.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(Files.size(out) > 1000, "ffmpeg recorded the stream");

        Ffprobe p = Ffprobe.of(dir, out);
        Ffprobe.Stream v = p.stream("video");
        Ffprobe.Stream a = p.stream("audio");
        assertNotNull(v, p.toString());
        assertNotNull(a, p.toString());
        assertEquals("h264", v.codec());
        assertEquals(160, v.width());
        assertEquals("aac", a.codec());
        assertTrue(p.packets("video").size() >= 50, "3 s at 25 fps: " + p.packets("video").size());
        assertTrue(p.packets("video").get(0).keyframe(), "nginx's player starts at a keyframe");
        assertTrue(p.timestampsIncrease(), p.toString());
        assertEquals(PushState.PUSHING, push.get("nginx").orElseThrow().state());
    }
}

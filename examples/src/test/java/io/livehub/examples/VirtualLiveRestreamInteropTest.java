package io.livehub.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.push.PushModule;
import io.livehub.push.PushProtocol;
import io.livehub.push.PushState;
import io.livehub.push.PushTaskSpec;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Interop;
import io.livehub.testing.NginxRtmp;
import io.livehub.virtual.VirtualLiveModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file played as a live stream restreams like a camera: virtual live publishes an MP4 made by
 * ffmpeg, a push task sends it to a real nginx-rtmp, ffprobe reads both tracks back from nginx,
 * and ffmpeg plays it over HLS too.
 */
@Tag("interop")
class VirtualLiveRestreamInteropTest {

    @TempDir
    Path dir;

    private static void await(String what, int seconds, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not in " + seconds + " s");
            Thread.sleep(50);
        }
    }

    @Test
    void aVirtualStreamPushedToNginxReadsBackWithBothTracks() throws Exception {
        Interop.require("ffmpeg");
        Path media = Files.createDirectories(dir.resolve("media"));
        ExternalProcess.Result made = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine",
                "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-movflags", "+faststart", media.resolve("talk.mp4").toString());
        assertEquals(0, made.exitCode(), made.describe());

        VirtualLiveModule virtual = VirtualLiveModule.builder().mediaRoot(media).build();
        PushModule push = PushModule.builder().build();
        StreamKey key = StreamKey.of("live", "talk");
        try (NginxRtmp nginx = NginxRtmp.start(dir);
             MediaServer server = MediaServer.builder().httpPort(0)
                     .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                     .module(io.livehub.hls.HlsModule.builder().build())
                     .module(virtual).module(push).start()) {
            push.start(PushTaskSpec.builder().id("to-nginx").stream(key).protocol(PushProtocol.RTMP)
                    .url("rtmp://127.0.0.1:" + nginx.port + "/live").streamKey("talk").build());
            virtual.start(key, "talk.mp4", VirtualLiveModule.FOREVER, Duration.ZERO, Map.of())
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            await("the push task pushing", 20,
                    () -> push.get("to-nginx").map(t -> t.state() == PushState.PUSHING).orElse(false));

            // Across a loop seam of the 3 s file: 5 s read back from nginx.
            ExternalProcess.Result probe = ExternalProcess.run(dir, 60, "ffprobe", "-v", "error",
                    "-rw_timeout", "15000000", "-read_intervals", "%+5", "-show_entries",
                    "stream=codec_type,codec_name,width,height", "-of", "csv=p=0",
                    "rtmp://127.0.0.1:" + nginx.port + "/live/talk");
            assertEquals(0, probe.exitCode(), probe.describe());
            assertTrue(probe.output().contains("h264,video,320,240"), probe.describe());
            assertTrue(probe.output().contains("aac,audio"), "audio relayed too: " + probe.describe());
            ExternalProcess.Result decode = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-rw_timeout", "15000000", "-i", "rtmp://127.0.0.1:" + nginx.port + "/live/talk", "-t", "5",
                    "-f", "null", "-");
            assertEquals(0, decode.exitCode(), decode.describe());
            assertTrue(decode.output().isBlank(), "decodes without errors across the seam: " + decode.output());

            // And it plays over HLS like a camera's stream.
            ExternalProcess.Result hls = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-i", "http://127.0.0.1:" + server.port("http") + "/live/talk.m3u8", "-t", "5", "-f", "null", "-");
            assertEquals(0, hls.exitCode(), hls.describe());
            assertTrue(hls.output().isBlank(), "HLS decodes without errors: " + hls.output());
        }
    }
}

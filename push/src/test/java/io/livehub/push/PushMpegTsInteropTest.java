package io.livehub.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.push.internal.Destinations;
import io.livehub.push.internal.PushEngine;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes MPEG-TS over UDP to ffmpeg listening on a loopback port: ffmpeg receives every video
 * frame the task sent, both tracks, from a keyframe, and decodes them without an error.
 * Tagged {@code interop}.
 */
@Tag("interop")
class PushMpegTsInteropTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // ExternalProcess.close may be interrupted
    void ffmpegReceivesEveryFrame() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("received.ts");
        ExecutorService resolver = Executors.newSingleThreadExecutor();
        MediaServer server = MediaServer.builder().httpPort(-1).start();
        PushConfig config = PushConfig.defaults();
        CountingDestinations counted = new CountingDestinations(new Destinations(config,
                server.transport().socketChannel(), server.transport().datagramChannel(), resolver,
                server.hub().egressForms()));
        PushEngine engine = new PushEngine(config, server.hub(), server.transport().workerGroup(), counted, List.of());
        StreamKey key = StreamKey.of("live", "show");
        try (ExternalProcess ffmpeg = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-timeout", "4000000", "-i",
                "udp://127.0.0.1:" + port + "?fifo_size=1000000&buffer_size=8388608&overrun_nonfatal=0",
                "-c", "copy", "-f", "mpegts", out.toString())) {
            Thread.sleep(500);
            LoopingSource source = new LoopingSource(server.hub(), key, server.transport().workerGroup().next());
            engine.start(PushTaskSpec.builder().id("udp").stream(key).protocol(PushProtocol.MPEGTS)
                    .url("udp://127.0.0.1:" + port).build());
            PushRtmpTest.await(() -> engine.get("udp").orElseThrow().state() == PushState.PUSHING, 10, "pushing");
            PushRtmpTest.await(() -> counted.video.get() >= 100, 20, "4 s sent");
            // The publisher leaves: the task closes the destination, which sends what it made first.
            source.close();
            PushRtmpTest.await(() -> engine.get("udp").orElseThrow().state() == PushState.READY, 10, "ready");
            ExternalProcess.Result r = ffmpeg.await(30);
            assertEquals(0, r.exitCode(), r.describe());
        } finally {
            engine.close();
            server.close();
            resolver.shutdown();
        }
        assertTrue(Files.size(out) > 10_000);
        Ffprobe p = Ffprobe.of(dir, out);
        String info = p + " sent " + counted.video.get() + " video, " + counted.audio.get() + " audio";
        assertNotNull(p.stream("video"), info);
        assertNotNull(p.stream("audio"), info);
        assertEquals("h264", p.stream("video").codec());
        assertEquals("aac", p.stream("audio").codec());
        assertEquals(counted.video.get(), p.packets("video").size(), "every video frame: " + info);
        assertEquals(counted.audio.get(), p.packets("audio").size(), "every audio frame: " + info);
        assertTrue(p.packets("video").get(0).keyframe(), "starts on a keyframe");
        assertTrue(p.timestampsIncrease(), info);
        ExternalProcess.Result decode = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-v", "error",
                "-i", out.toString(), "-f", "null", "-");
        assertEquals(0, decode.exitCode(), decode.describe());
        assertEquals("", decode.output().trim(), "ffmpeg reports decode errors");
    }
}

package io.livehub.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.net.DatagramSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes over encrypted SRT to libsrt's {@code srt-live-transmit} listening with the same
 * passphrase, which relays the TS to UDP; ffprobe reads both tracks from a keyframe.
 * Tagged {@code interop}.
 */
@Tag("interop")
class PushSrtInteropTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // ExternalProcess.close may be interrupted
    void srtLiveTransmitReceivesTheEncryptedPush() throws Exception {
        int srtPort;
        try (DatagramSocket s = new DatagramSocket(0)) {
            srtPort = s.getLocalPort();
        }
        String passphrase = "0123456789abcdef";
        Path ts = dir.resolve("relayed.ts");
        PushModule push = PushModule.builder().config(PushConfig.builder().reconnect(ReconnectPolicy.builder()
                .initialDelay(java.time.Duration.ofMillis(200)).build()).build()).build();
        MediaServer source = MediaServer.builder().httpPort(-1).module(push).start();
        try (UdpSink sink = new UdpSink(ts);
             ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-a", "no",
                     "srt://127.0.0.1:" + srtPort + "?mode=listener&latency=200&passphrase=" + passphrase,
                     "udp://127.0.0.1:" + sink.port());
             LoopingSource publisher = new LoopingSource(source.hub(), StreamKey.of("live", "show"),
                     source.transport().workerGroup().next())) {
            push.start(PushTaskSpec.builder().id("slt").stream("live", "show").protocol(PushProtocol.SRT)
                    .url("srt://127.0.0.1:" + srtPort + "?latency=200&passphrase=" + passphrase).build());
            PushRtmpTest.await(() -> push.get("slt").orElseThrow().state() == PushState.PUSHING, 20,
                    "pushing to srt-live-transmit");
            PushRtmpTest.await(() -> sink.bytes.get() > 200_000 || publisher.videoFrames() > 150, 30, "relayed bytes");
            Thread.sleep(2000);
            push.stop("slt");
            sink.awaitQuiet(1000, 10_000);
            String info = slt.output();
            Ffprobe p = Ffprobe.of(dir, ts);
            assertNotNull(p.stream("video"), p + "\n" + info);
            assertNotNull(p.stream("audio"), p + "\n" + info);
            assertEquals("h264", p.stream("video").codec());
            assertEquals("aac", p.stream("audio").codec());
            assertTrue(p.packets("video").size() >= 50, p.toString());
            assertTrue(p.packets("video").get(0).keyframe(), "starts on a keyframe");
            assertTrue(p.timestampsIncrease(), p.toString());
        } finally {
            source.close();
        }
    }
}

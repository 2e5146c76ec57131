package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes a hub stream with Livehub's caller ({@link SrtCaller} with {@link SrtStreamSender}) to
 * libsrt's {@code srt-live-transmit} in listener mode, which relays it to UDP: ffmpeg publishes
 * H.264 + AAC over RTMP, and the TS that comes out of srt-live-transmit holds every video frame
 * and both tracks, and decodes without an error.
 */
@Tag("interop")
class SrtCallerPushInteropTest {

    static final int SECONDS = 8;
    static final int FPS = 25;

    @TempDir
    Path dir;

    @Test
    void callerPushesAnRtmpPublishedStreamToSrtLiveTransmit() throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        MediaServer server = MediaServer.builder().httpPort(-1)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build()).start();
        Path ts = dir.resolve("pushed.ts");
        int srtPort = SrtLiveTransmitInteropTest.freeUdpPort();
        StreamKey key = StreamKey.of("live", "push");
        SrtConfig config = SrtConfig.builder().latency(Duration.ofMillis(200)).build();
        try (UdpFileSink sink = new UdpFileSink(ts);
             ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-a", "no",
                     "srt://127.0.0.1:" + srtPort + "?mode=listener&latency=200",
                     "udp://127.0.0.1:" + sink.port())) {
            SrtStreamSender sender = null;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (sender == null) {
                SrtStreamSender s = SrtStreamSender.mpegTs(server.hub(), key, config);
                try {
                    SrtCaller.connect(config, group, NioDatagramChannel.class,
                            new InetSocketAddress("127.0.0.1", srtPort), "#!::r=live/push,m=publish", s)
                            .get(5, TimeUnit.SECONDS);
                    sender = s;
                } catch (ExecutionException e) {
                    // srt-live-transmit may not listen yet
                    assertTrue(System.nanoTime() < deadline, "could not connect: " + e + "\n" + slt.output());
                    Thread.sleep(200);
                }
            }
            // The sender waits on the hub for the publisher, so it sends every frame from the first.
            ExternalProcess.Result pub = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=" + FPS, "-f", "lavfi", "-i", "sine",
                    "-t", String.valueOf(SECONDS), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                    "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv",
                    "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/push");
            assertEquals(0, pub.exitCode(), pub.describe());
            sink.awaitQuiet(2000, 20_000);
            SrtConnection c = sender.connection();
            assertNotNull(c);
            SrtConnectionStats stats = c.stats();
            sender.close();
            assertTrue(c.closeFuture().await(5, TimeUnit.SECONDS));

            assertEquals(SECONDS * FPS, sender.videoFramesSent(), "video frames the hub gave the sender");
            assertTrue(sender.audioFramesSent() > 0, "audio frames");
            Ffprobe p = Ffprobe.of(dir, ts);
            String info = p + ", sender " + stats + ", sink " + sink.datagrams + " datagrams\n" + slt.output();
            assertNotNull(p.stream("video"), info);
            assertNotNull(p.stream("audio"), info);
            assertEquals("h264", p.stream("video").codec());
            assertEquals("aac", p.stream("audio").codec());
            assertEquals(SECONDS * FPS, p.packets("video").size(), info);
            assertTrue(p.packets("video").get(0).keyframe(), "starts on a keyframe");
            assertTrue(p.packets("audio").size() >= SECONDS * 40, "audio packets: " + p.packets("audio").size());
            assertTrue(p.timestampsIncrease(), info);
            assertEquals(stats.packetsSent(), sink.datagrams.get(), "every SRT payload came out of srt-live-transmit");

            ExternalProcess.Result decode = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-v", "error",
                    "-i", ts.toString(), "-f", "null", "-");
            assertEquals(0, decode.exitCode(), decode.describe());
            assertEquals("", decode.output().trim(), "ffmpeg reports decode errors");
        } finally {
            server.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

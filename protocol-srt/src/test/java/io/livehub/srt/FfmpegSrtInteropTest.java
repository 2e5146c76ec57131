package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.testing.ExternalProcess;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ffmpeg (built with libsrt) publishes MPEG-TS to our listener: handshake, stream id and payload framing. */
@Tag("interop")
class FfmpegSrtInteropTest {

    @TempDir
    Path dir;

    @Test
    void ffmpegPublishesMpegTsInWholeTsPackets() throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        PayloadCollector server = new PayloadCollector();
        List<String> ids = new CopyOnWriteArrayList<>();
        SrtConfig config = SrtConfig.builder().host("127.0.0.1").port(0).latency(Duration.ofMillis(120)).build();
        try (SrtListener listener = SrtListener.bind(config, group, NioDatagramChannel.class, req -> {
            ids.add(req.streamId());
            return CompletableFuture.completedFuture(SrtAcceptDecision.accept(server));
        })) {
            String sid = "#!::r=live/ff,m=publish";
            ExternalProcess.Result r = ExternalProcess.run(dir, 30, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-re", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264",
                    "-preset", "ultrafast", "-g", "25", "-f", "mpegts",
                    "srt://127.0.0.1:" + listener.port() + "?streamid=" + sid + "&pkt_size=1316");
            assertEquals(0, r.exitCode(), r.describe());
            PayloadCollector.await(() -> !server.closed.isEmpty(), 10_000, "ffmpeg's connection closed");
            assertEquals(List.of(sid), ids);
            assertTrue(server.payloads.size() > 20, "payloads: " + server.payloads.size());
            for (byte[] p : server.payloads) {
                assertEquals(0, p.length % 188, "payload of " + p.length + " bytes");
                for (int i = 0; i < p.length; i += 188) {
                    assertEquals(0x47, p[i] & 0xFF, "TS sync byte");
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

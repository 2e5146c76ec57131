package io.livehub.push;

import io.livehub.testing.TestCertificates;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.rtmp.client.RtmpClientConfig;
import io.netty.channel.DefaultEventLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes over RTMPS to a Livehub server with a certificate for {@code localhost}: the task
 * connects by name (sent as SNI, and checked against the certificate), and a server whose
 * certificate does not name the host the task dialled leaves it in error with the reason.
 */
class PushRtmpsTest {

    @TempDir
    Path dir;

    @Test
    void pushesOverTlsToAHostName() throws Exception {
        // For localhost only: the same server reached as 127.0.0.1 does not match its certificate.
        TestCertificates certs = TestCertificates.create(dir, "localhost", "dns:localhost");
        PushModule push = PushModule.builder().config(PushConfig.builder()
                .rtmpClient(PushConfig.defaults().rtmpClient().toBuilder().sslContext(certs.client).build())
                .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(200)).build()).build()).build();
        DefaultEventLoop collectorLoop = new DefaultEventLoop();
        try (MediaServer destination = MediaServer.builder().httpPort(-1)
                     .module(RtmpModule.builder().host("127.0.0.1").port(0).sslContext(certs.server).build()).start();
             MediaServer source = MediaServer.builder().httpPort(-1).module(push).start();
             LoopingSource publisher = new LoopingSource(source.hub(), StreamKey.of("live", "show"),
                     source.transport().workerGroup().next())) {
            FrameCollector got = new FrameCollector(collectorLoop);
            var sub = destination.hub().subscribe(StreamKey.of("live", "copy"), got);
            push.start(PushTaskSpec.builder().id("tls").stream("live", "show").protocol(PushProtocol.RTMPS)
                    .url("rtmps://localhost:" + destination.port("rtmps") + "/live").streamKey("copy").build());
            push.start(PushTaskSpec.builder().id("untrusted").stream("live", "show").protocol(PushProtocol.RTMPS)
                    .url("rtmps://127.0.0.1:" + destination.port("rtmps") + "/live").streamKey("other").build());
            PushRtmpTest.await(() -> got.video() >= 25 && got.audio() >= 25, 20, "frames over TLS");
            assertEquals(PushState.PUSHING, push.get("tls").orElseThrow().state());
            assertTrue(publisher.videoFrames() >= got.video(), "no more than was published");
            PushRtmpTest.await(() -> push.get("untrusted").orElseThrow().lastError() != null, 20, "untrusted fails");
            PushTaskInfo bad = push.get("untrusted").orElseThrow();
            assertEquals(0, bad.sequence(), "never connected");
            assertTrue(bad.state() != PushState.PUSHING, bad.toString());
            sub.close();
        } finally {
            collectorLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}

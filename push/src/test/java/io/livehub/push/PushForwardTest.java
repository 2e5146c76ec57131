package io.livehub.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Forwards every stream of app {@code live} to a backup server, as SRS's {@code forward} does. */
class PushForwardTest {

    @Test
    void everyStreamOfTheAppIsForwardedWithItsNameAndForgottenWhenItEnds() throws Exception {
        DefaultEventLoop collectorLoop = new DefaultEventLoop();
        try (MediaServer backup = PushRtmpTest.rtmpServer(0)) {
            PushModule push = PushModule.builder().config(PushConfig.builder()
                    .forwardScanInterval(Duration.ofMillis(100))
                    .forward(ForwardRule.of("live", ForwardRule.rtmp("rtmp://127.0.0.1:" + backup.port("rtmp") + "/backup")))
                    .build()).build();
            try (MediaServer source = MediaServer.builder().httpPort(-1).module(push).start()) {
                FrameCollector cam1 = new FrameCollector(collectorLoop);
                FrameCollector cam2 = new FrameCollector(collectorLoop);
                var s1 = backup.hub().subscribe(StreamKey.of("backup", "cam1"), cam1);
                var s2 = backup.hub().subscribe(StreamKey.of("backup", "cam2"), cam2);
                LoopingSource other = new LoopingSource(source.hub(), StreamKey.of("studio", "cam3"),
                        source.transport().workerGroup().next());
                LoopingSource a = new LoopingSource(source.hub(), StreamKey.of("live", "cam1"),
                        source.transport().workerGroup().next());
                LoopingSource b = new LoopingSource(source.hub(), StreamKey.of("live", "cam2"),
                        source.transport().workerGroup().next());
                PushRtmpTest.await(() -> cam1.video() >= 10 && cam2.video() >= 10, 20, "both streams forwarded");
                assertEquals(2, push.list().size(), "app studio is not forwarded: " + push.list());
                assertTrue(push.list().stream().allMatch(t -> t.state() == PushState.PUSHING));

                a.close();
                PushRtmpTest.await(() -> push.list().size() == 1, 10, "the ended stream's task is removed");
                assertEquals("cam2", push.list().get(0).spec().stream().name());
                b.close();
                other.close();
                s1.close();
                s2.close();
            }
        } finally {
            collectorLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}

package io.livehub.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.srt.SrtModule;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pushes over encrypted SRT, as a caller, to a Livehub SRT listener on loopback. */
class PushSrtTest {

    private static final String PASSPHRASE = "correct-horse-battery";

    private MediaServer source;
    private MediaServer destination;
    private PushModule push;
    private LoopingSource publisher;
    private DefaultEventLoop collectorLoop;

    @BeforeEach
    void start() throws Exception {
        push = PushModule.builder().config(PushConfig.builder().reconnect(ReconnectPolicy.builder()
                .initialDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(1)).build()).build()).build();
        source = MediaServer.builder().httpPort(-1).module(push).start();
        destination = MediaServer.builder().httpPort(-1)
                .module(SrtModule.builder().host("127.0.0.1").port(0).passphrase(PASSPHRASE).build()).start();
        collectorLoop = new DefaultEventLoop();
        publisher = new LoopingSource(source.hub(), StreamKey.of("live", "show"), source.transport().workerGroup().next());
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        source.close();
        destination.close();
        collectorLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private String url(String passphrase) {
        return "srt://127.0.0.1:" + destination.port("srt") + "?mode=caller&latency=120&passphrase=" + passphrase;
    }

    @Test
    void pushesWithThePassphraseAndTheStreamKeyAsStreamId() throws Exception {
        FrameCollector got = new FrameCollector(collectorLoop);
        var sub = destination.hub().subscribe(StreamKey.of("live", "copy"), got);
        try {
            push.start(PushTaskSpec.builder().id("srt").stream("live", "show").protocol(PushProtocol.SRT)
                    .url(url(PASSPHRASE)).streamKey("#!::r=live/copy,m=publish").build());
            PushRtmpTest.await(() -> got.video() >= 30 && got.audio() >= 30, 20, "frames over SRT");
            FrameCollector.Got first = got.frames.stream().filter(FrameCollector.Got::video).findFirst().orElseThrow();
            assertTrue(first.keyframe(), "starts at a keyframe");
            assertTrue(first.track().hasConfig(), "parameter sets reached the destination");
            PushTaskInfo info = push.get("srt").orElseThrow();
            assertEquals(PushState.PUSHING, info.state());
            assertTrue(info.sentBytes() > 0);
        } finally {
            sub.close();
        }
    }

    @Test
    void destinationThatGoesAwayIsLeftAndRejoinedWhenBack() throws Exception {
        int port = destination.port("srt");
        push.start(PushTaskSpec.builder().id("srt").stream("live", "show").protocol(PushProtocol.SRT)
                .url(url(PASSPHRASE)).streamKey("#!::r=live/copy,m=publish").build());
        PushRtmpTest.await(() -> push.get("srt").orElseThrow().state() == PushState.PUSHING, 20, "pushing");
        destination.close();
        PushRtmpTest.await(() -> push.get("srt").orElseThrow().state() != PushState.PUSHING, 15,
                "leaves pushing when the listener is gone");
        destination = MediaServer.builder().httpPort(-1)
                .module(SrtModule.builder().host("127.0.0.1").port(port).passphrase(PASSPHRASE).build()).start();
        FrameCollector got = new FrameCollector(collectorLoop);
        var sub = destination.hub().subscribe(StreamKey.of("live", "copy"), got);
        try {
            PushRtmpTest.await(() -> got.video() >= 10, 20, "frames on the listener that came back");
            assertEquals(2, push.get("srt").orElseThrow().sequence());
        } finally {
            sub.close();
        }
    }

    @Test
    void destinationThatStopsAnsweringIsLeftAfterThePeerIdleTimeout() throws Exception {
        try (FreezableUdpRelay path = new FreezableUdpRelay(destination.port("srt"))) {
            push.start(PushTaskSpec.builder().id("srt").stream("live", "show").protocol(PushProtocol.SRT)
                    .url("srt://127.0.0.1:" + path.port() + "?passphrase=" + PASSPHRASE)
                    .streamKey("#!::r=live/copy,m=publish").build());
            PushRtmpTest.await(() -> push.get("srt").orElseThrow().state() == PushState.PUSHING, 20, "pushing");
            path.freeze(true);
            // No acknowledgement, no keep-alive: the SRT peer idle timeout (5 s) ends the connection.
            PushRtmpTest.await(() -> push.get("srt").orElseThrow().state() != PushState.PUSHING, 15,
                    "leaves pushing when the peer went silent");
            assertTrue(push.get("srt").orElseThrow().lastError() != null);
            path.freeze(false);
            PushRtmpTest.await(() -> push.get("srt").orElseThrow().state() == PushState.PUSHING
                    && push.get("srt").orElseThrow().sequence() == 2, 20, "pushing again once the path is back");
        }
    }

    @Test
    void wrongPassphraseIsAnErrorWithItsReason() throws Exception {
        push.start(PushTaskSpec.builder().id("bad").stream("live", "show").protocol(PushProtocol.SRT)
                .url(url("not-the-passphrase")).streamKey("#!::r=live/copy,m=publish").build());
        PushRtmpTest.await(() -> push.get("bad").orElseThrow().lastError() != null, 20, "error");
        PushTaskInfo info = push.get("bad").orElseThrow();
        assertTrue(info.state() == PushState.ERROR || info.state() == PushState.CONNECTING, info.toString());
        assertTrue(info.lastError().toLowerCase().contains("passphrase"), info.lastError());
        assertEquals(0, info.sequence());
    }
}

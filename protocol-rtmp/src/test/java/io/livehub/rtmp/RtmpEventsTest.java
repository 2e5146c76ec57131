package io.livehub.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.MediaEvent;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.event.StopEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.media.StreamKey;
import io.livehub.testing.ExternalProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the events a real ffmpeg publish and play produce, and that a denial refuses them. */
@Tag("interop")
class RtmpEventsTest {

    @TempDir
    Path dir;

    private final List<MediaEvent> events = new CopyOnWriteArrayList<>();
    private MediaServer server;
    private String rtmp;
    private String http;

    @BeforeEach
    void start() throws Exception {
        MediaServerListener recorder = new MediaServerListener() {
            @Override
            public CompletionStage<Decision> onConnect(ConnectEvent e) {
                events.add(e);
                return Decision.allowStage();
            }

            @Override
            public CompletionStage<Decision> onPublish(PublishEvent e) {
                events.add(e);
                // Answer later, from another thread, as an HTTP hook would.
                return CompletableFuture.supplyAsync(() -> "abc".equals(e.params().get("secret"))
                        ? Decision.allow() : Decision.deny("wrong secret"),
                        CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS));
            }

            @Override
            public CompletionStage<Decision> onPlay(PlayEvent e) {
                events.add(e);
                return e.params().containsKey("banned") ? Decision.denyStage("banned") : Decision.allowStage();
            }

            @Override
            public void onUnpublish(UnpublishEvent e) {
                events.add(e);
            }

            @Override
            public void onStop(StopEvent e) {
                events.add(e);
            }

            @Override
            public void onClose(CloseEvent e) {
                events.add(e);
            }
        };
        server = MediaServer.builder().httpPort(0).listener(recorder)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(HttpFlvModule.builder().build())
                .start();
        rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        http = "http://127.0.0.1:" + server.port("http");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ExternalProcess publish(String url, int seconds) throws Exception {
        return ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-f", "flv", url);
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 20 s");
            Thread.sleep(20);
        }
    }

    private <T extends MediaEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    @Test
    void publishPlayStopAndCloseCarryClientStreamAndParams() throws Exception {
        StreamKey key = StreamKey.of("live", "show");
        try (ExternalProcess pub = publish(rtmp + "/live/show?secret=abc&room=7", 10)) {
            await(() -> server.hub().stream(key) != null && server.hub().stream(key).framesIn() > 10);
            ExternalProcess play = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel",
                    "error", "-i", rtmp + "/live/show?viewer=v1", "-frames:v", "10", "-f", "null", "-");
            ExternalProcess flv = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel",
                    "error", "-i", http + "/live/show.flv?viewer=v2", "-frames:v", "10", "-f", "null", "-");
            ExternalProcess.Result playResult = play.await(30);
            assertEquals(0, playResult.exitCode(), playResult.describe());
            ExternalProcess.Result flvResult = flv.await(30);
            assertEquals(0, flvResult.exitCode(), flvResult.describe());
            assertEquals(0, pub.await(30).exitCode());
        }
        await(() -> of(CloseEvent.class).size() == 3 && of(UnpublishEvent.class).size() == 1);

        ConnectEvent connect = of(ConnectEvent.class).get(0);
        assertEquals("rtmp", connect.protocol());
        assertEquals("live", connect.app());
        assertEquals("127.0.0.1", connect.client().ip());
        assertTrue(connect.client().tcUrl().startsWith("rtmp://127.0.0.1:"), connect.client().tcUrl());

        PublishEvent publish = of(PublishEvent.class).get(0);
        assertEquals(key, publish.stream());
        assertEquals("abc", publish.params().get("secret"));
        assertEquals("7", publish.params().get("room"));
        assertEquals(connect.clientId(), publish.clientId());

        List<PlayEvent> plays = of(PlayEvent.class);
        assertEquals(2, plays.size());
        assertEquals("v1", plays.stream().filter(p -> p.protocol().equals("rtmp")).findFirst().get().params().get("viewer"));
        assertEquals("v2", plays.stream().filter(p -> p.protocol().equals("http-flv")).findFirst().get().params().get("viewer"));
        assertEquals(2, of(StopEvent.class).size());

        UnpublishEvent unpublish = of(UnpublishEvent.class).get(0);
        assertEquals(publish.clientId(), unpublish.clientId());
        for (CloseEvent c : of(CloseEvent.class)) {
            assertTrue(c.recvBytes() > 0 || c.sendBytes() > 0, c.toString());
        }
        CloseEvent publisherClose = of(CloseEvent.class).stream()
                .filter(c -> c.clientId().equals(publish.clientId())).findFirst().get();
        assertTrue(publisherClose.recvBytes() > 10_000, "publisher sent media: " + publisherClose);
        // Per client, the order is connect, publish, unpublish, close.
        List<String> order = events.stream().filter(e -> e.clientId().equals(publish.clientId()))
                .map(e -> e.getClass().getSimpleName()).collect(Collectors.toList());
        assertEquals(List.of("ConnectEvent", "PublishEvent", "UnpublishEvent", "CloseEvent"), order);
    }

    @Test
    void deniedPublishAndPlayAreRefused() throws Exception {
        StreamKey key = StreamKey.of("live", "guarded");
        ExternalProcess.Result wrong;
        try (ExternalProcess pub = publish(rtmp + "/live/guarded?secret=nope", 3)) {
            wrong = pub.await(30);
        }
        assertNotEquals(0, wrong.exitCode(), "publish with a wrong secret must fail: " + wrong.describe());
        assertNull(server.hub().stream(key), "nothing of a refused publish reaches the hub");
        assertTrue(of(UnpublishEvent.class).isEmpty());

        try (ExternalProcess pub = publish(rtmp + "/live/guarded?secret=abc", 5)) {
            await(() -> server.hub().stream(key) != null && server.hub().stream(key).isPublishing());
            ExternalProcess.Result banned = ExternalProcess.run(dir, 30, "ffmpeg", "-hide_banner", "-loglevel",
                    "error", "-i", rtmp + "/live/guarded?banned=1", "-frames:v", "5", "-f", "null", "-");
            assertNotEquals(0, banned.exitCode(), banned.describe());
            ExternalProcess.Result bannedFlv = ExternalProcess.run(dir, 30, "ffmpeg", "-hide_banner", "-loglevel",
                    "error", "-i", http + "/live/guarded.flv?banned=1", "-frames:v", "5", "-f", "null", "-");
            assertNotEquals(0, bannedFlv.exitCode(), bannedFlv.describe());
            assertTrue(bannedFlv.output().contains("403"), bannedFlv.output());
            pub.await(30);
        }
    }
}

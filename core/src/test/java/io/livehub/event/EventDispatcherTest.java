package io.livehub.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.StreamKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {

    private static final ClientInfo CLIENT =
            new ClientInfo("rtmp", "7", new InetSocketAddress("127.0.0.1", 5000), "rtmp://h/live", "");

    private static PublishEvent publish() {
        return new PublishEvent(CLIENT, StreamKey.of("live", "s"), Map.of("secret", "x"), Instant.now());
    }

    @Test
    void allowsOnlyWhenEveryListenerAllows() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        MediaServerListener allow = new MediaServerListener() {
            @Override
            public CompletionStage<Decision> onPublish(PublishEvent e) {
                calls.add("allow " + Thread.currentThread().getName());
                return Decision.allowStage();
            }
        };
        MediaServerListener deny = new MediaServerListener() {
            @Override
            public CompletionStage<Decision> onPublish(PublishEvent e) {
                calls.add("deny");
                return Decision.denyStage("bad secret");
            }
        };
        try (EventDispatcher d = new EventDispatcher(List.of(allow, deny, allow), Duration.ofSeconds(5), 2)) {
            Decision r = d.publish(publish()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertFalse(r.allowed());
            assertEquals("bad secret", r.reason());
            assertEquals(2, calls.size(), "the listener after a denial is not asked");
            assertTrue(calls.get(0).startsWith("allow livehub-listener-"), "listeners run off the event loop");
        }
        try (EventDispatcher d = new EventDispatcher(List.of(allow, allow), Duration.ofSeconds(5), 2)) {
            assertTrue(d.publish(publish()).toCompletableFuture().get(5, TimeUnit.SECONDS).allowed());
        }
    }

    @Test
    void aSlowOrFailingListenerDenies() throws Exception {
        MediaServerListener never = new MediaServerListener() {
            @Override
            public CompletionStage<Decision> onPublish(PublishEvent e) {
                return new CompletableFuture<>();
            }
        };
        MediaServerListener throwing = new MediaServerListener() {
            @Override
            public CompletionStage<Decision> onPlay(PlayEvent e) {
                throw new IllegalStateException("boom");
            }
        };
        try (EventDispatcher d = new EventDispatcher(List.of(never, throwing), Duration.ofMillis(100), 1)) {
            Decision r = d.publish(publish()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertFalse(r.allowed());
            assertTrue(r.reason().contains("timed out"), r.reason());
            Decision p = d.play(new PlayEvent(CLIENT, StreamKey.of("live", "s"), Map.of(), Instant.now()))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertFalse(p.allowed());
        }
    }

    @Test
    void notificationsOfOneClientArriveInOrder() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        MediaServerListener l = new MediaServerListener() {
            @Override
            public void onUnpublish(UnpublishEvent e) {
                seen.add("unpublish " + e.params().get("n"));
            }

            @Override
            public void onClose(CloseEvent e) {
                seen.add("close");
            }
        };
        try (EventDispatcher d = new EventDispatcher(List.of(l), Duration.ofSeconds(1), 4)) {
            for (int i = 0; i < 50; i++) {
                d.unpublish(new UnpublishEvent(CLIENT, StreamKey.of("live", "s"), Map.of("n", "" + i), Instant.now()));
            }
            d.close(new CloseEvent(CLIENT, "", "live", null, Map.of(), Instant.now(), 1, 2));
        }
        assertEquals(51, seen.size());
        for (int i = 0; i < 50; i++) {
            assertEquals("unpublish " + i, seen.get(i));
        }
        assertEquals("close", seen.get(50));
    }

    @Test
    void eventParamsKeepTheClientsOrder() {
        java.util.LinkedHashMap<String, String> p = new java.util.LinkedHashMap<>();
        for (String k : List.of("z", "secret", "a", "m", "b")) {
            p.put(k, k + "1");
        }
        PublishEvent e = new PublishEvent(CLIENT, StreamKey.of("live", "s"), p, Instant.now());
        assertEquals(List.of("z", "secret", "a", "m", "b"), List.copyOf(e.params().keySet()));
        assertEquals("?z=z1&secret=secret1&a=a1&m=m1&b=b1", io.livehub.media.QueryParams.format(e.params()));
    }
}

package io.livehub.examples.owt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livehub.event.ClientInfo;
import io.livehub.event.Decision;
import io.livehub.event.PublishEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.media.StreamKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Feeds publish and unpublish events to the proxy and checks the OWT calls it makes. */
class OwtProxyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final StreamKey KEY = StreamKey.of("live", "cam");
    private static final ClientInfo CLIENT = new ClientInfo("rtmp", "7", new InetSocketAddress("127.0.0.1", 5000),
            "rtmp://127.0.0.1:1935/live", "");

    private final FakeOwt owt = new FakeOwt();
    private final OwtProxy proxy = OwtProxy.builder(owt.uri(), "rtmp://10.0.0.5:1935/")
            .backoff(Duration.ofMillis(50), Duration.ofMillis(200)).attempts(4).build();

    OwtProxyTest() throws Exception {
    }

    @AfterEach
    void stop() {
        proxy.close();
        owt.close();
    }

    private Decision publish() throws Exception {
        return proxy.onPublish(new PublishEvent(CLIENT, KEY, Map.of(), Instant.now()))
                .toCompletableFuture().get(1, TimeUnit.SECONDS);
    }

    private void unpublish() {
        proxy.onUnpublish(new UnpublishEvent(CLIENT, KEY, Map.of(), Instant.now()));
    }

    static void checkBodies(List<FakeOwt.Call> calls, String roomName, String rtmpUrl) throws Exception {
        JsonNode room = MAPPER.readTree(calls.get(0).body);
        assertEquals(roomName, room.path("name").asText());
        assertTrue(room.path("options").isArray());
        JsonNode in = MAPPER.readTree(calls.get(1).body);
        assertEquals(rtmpUrl, in.path("connection").path("url").asText());
        assertEquals("udp", in.path("connection").path("transportProtocol").asText());
        assertEquals(8192, in.path("connection").path("bufferSize").asInt());
        assertEquals("auto", in.path("media").path("video").asText());
        assertEquals("auto", in.path("media").path("audio").asText());
        assertEquals(MAPPER.readTree("[{\"op\":\"add\",\"path\":\"/info/inViews\",\"value\":\"common\"}]"),
                MAPPER.readTree(calls.get(2).body));
    }

    @Test
    void publishCreatesAndUnpublishDeletesInOrder() throws Exception {
        assertTrue(publish().allowed());
        assertTrue(proxy.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(List.of("POST /rooms", "POST /rooms/room1/streaming-ins", "PATCH /rooms/room1/streams/in1"),
                owt.lines());
        checkBodies(owt.calls, "live/cam", "rtmp://10.0.0.5:1935/live/cam");

        unpublish();
        assertTrue(proxy.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(List.of("DELETE /rooms/room1/streaming-ins/in1", "DELETE /rooms/room1"),
                owt.lines().subList(3, 5));
    }

    @Test
    void failuresAreRetriedWithBackoff() throws Exception {
        owt.fail("POST /rooms", 2);
        owt.fail("DELETE /rooms/room1/streaming-ins", 1);
        publish();
        assertTrue(proxy.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(List.of("POST /rooms", "POST /rooms", "POST /rooms", "POST /rooms/room1/streaming-ins",
                "PATCH /rooms/room1/streams/in1"), owt.lines());
        assertEquals(List.of(503, 503, 200, 200, 200), owt.calls.stream().map(c -> c.status).toList());
        unpublish();
        assertTrue(proxy.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(List.of("DELETE /rooms/room1/streaming-ins/in1", "DELETE /rooms/room1/streaming-ins/in1",
                "DELETE /rooms/room1"), owt.lines().subList(5, 8));
    }

    @Test
    void aDeadOwtIsGivenUpAfterTheAttemptsAndNothingIsDeleted() throws Exception {
        owt.fail("POST /rooms", 100);
        publish();
        assertTrue(proxy.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(List.of("POST /rooms", "POST /rooms", "POST /rooms", "POST /rooms"), owt.lines());
        unpublish();
        assertTrue(proxy.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(4, owt.calls.size(), "no room was made, so none is deleted");
    }

    @Test
    void anUnpublishDuringASlowCreationWaitsAndDeletesWhatWasMade() throws Exception {
        owt.delay("POST /rooms", 500);
        long t0 = System.nanoTime();
        assertTrue(publish().allowed());
        assertTrue(System.nanoTime() - t0 < 300_000_000L, "the publish does not wait for OWT");
        unpublish();
        assertTrue(proxy.awaitIdle(Duration.ofSeconds(5)));
        // The room came back after the unpublish: no streaming-in is made, the room is deleted.
        assertEquals(List.of("POST /rooms", "DELETE /rooms/room1"), owt.lines());
    }
}

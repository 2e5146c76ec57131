package io.livehub.hooks;

import io.livehub.event.ClientInfo;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.HlsSegmentEvent;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.event.RecordBeginEvent;
import io.livehub.event.RecordEndEvent;
import io.livehub.event.StopEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.media.StreamKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Builds events with fixed values for body and delivery tests. */
final class TestEvents {

    static final StreamKey KEY = StreamKey.of("live", "livestream");
    static final Instant TIME = Instant.parse("2024-05-01T10:00:00Z");

    private TestEvents() {
    }

    static ClientInfo client(String id) {
        return new ClientInfo("rtmp", id, new InetSocketAddress("192.168.1.10", 50000),
                "rtmp://127.0.0.1/live", "http://example.com/page.html");
    }

    static ConnectEvent connect(String id) {
        return new ConnectEvent(client(id), "", "live", Map.of(), TIME);
    }

    static PublishEvent publish(String id, Map<String, String> params) {
        return new PublishEvent(client(id), KEY, params, TIME);
    }

    static PublishEvent publish(String id, StreamKey key, Map<String, String> params) {
        return new PublishEvent(client(id), key, params, TIME);
    }

    static UnpublishEvent unpublish(String id) {
        return new UnpublishEvent(client(id), KEY, Map.of("secret", "abc"), TIME);
    }

    static PlayEvent play(String id, Map<String, String> params) {
        return new PlayEvent(client(id), KEY, params, TIME);
    }

    static StopEvent stop(String id) {
        return new StopEvent(client(id), KEY, Map.of(), TIME);
    }

    static CloseEvent close(String id) {
        return new CloseEvent(client(id), "", "live", KEY, Map.of(), TIME, 1234, 567890);
    }

    static RecordBeginEvent recordBegin(String id) {
        return new RecordBeginEvent(client(id), KEY, Map.of(), TIME, "824b96f9-8d51-4046-ba1e-a9aec7d57c95",
                Path.of("/data/record/824b96f9-8d51-4046-ba1e-a9aec7d57c95/index.mp4"));
    }

    static RecordEndEvent recordEnd(String id) {
        return new RecordEndEvent(client(id), KEY, Map.of(), TIME, "824b96f9-8d51-4046-ba1e-a9aec7d57c95",
                Path.of("/data/record/824b96f9-8d51-4046-ba1e-a9aec7d57c95/index.mp4"), Duration.ofSeconds(60),
                1_000_000);
    }

    static HlsSegmentEvent hls(String id) {
        return new HlsSegmentEvent(client(id), KEY, Map.of(), TIME, "./objs/nginx/html/live/livestream-12.ts",
                "live/livestream-12.ts", "./objs/nginx/html/live/livestream.m3u8", "live/livestream.m3u8", 12,
                Duration.ofMillis(9960));
    }
}

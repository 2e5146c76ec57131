package io.livehub.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livehub.event.MediaEvent;
import io.livehub.event.PublishEvent;
import io.livehub.event.RecordEndEvent;
import io.livehub.media.StreamKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks every callback body against golden JSON in the shapes SRS 5/6
 * ({@code srs_app_http_hooks.cpp}) and the SRS Stack FAQ ("HTTP Callback") give; the
 * comparison is of JSON trees, so field order and number formatting do not matter.
 */
class HookBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_ID = "b8ffdd76-e1a9-43c8-b238-4649aef76d77";

    private final HookBodies srs = new HookBodies(base().build());
    private final HookBodies stack = new HookBodies(base().style(HookStyle.SRS_STACK).build());

    private static HttpHooksConfig.Builder base() {
        return HttpHooksConfig.builder().serverId("vid-0a1b2c3").serviceId("x8k2l9m0").cwd("/srv/livehub")
                .opaque("mytoken").artifactUrl(e -> "http://localhost:2022/terraform/v1/hooks/record/hls/"
                        + e.recordId() + "/index.mp4");
    }

    /** Compares numbers by value, so an int node equals a long node of the same number. */
    static final java.util.Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    static void assertJson(String expected, JsonNode actual) throws Exception {
        JsonNode e = JSON.readTree(expected.replace('\'', '"'));
        assertTrue(e.equals(BY_VALUE, actual), "expected " + e + "\n but was " + actual);
    }

    private JsonNode srs(HookAction a, MediaEvent e) {
        return srs.body(a, e, REQUEST_ID);
    }

    private JsonNode stack(HookAction a, MediaEvent e) {
        return stack.body(a, e, REQUEST_ID);
    }

    // ---- SRS ----

    @Test
    void srsOnConnect() throws Exception {
        assertJson("{'server_id':'vid-0a1b2c3','service_id':'x8k2l9m0','action':'on_connect','client_id':'7',"
                + "'ip':'192.168.1.10','vhost':'__defaultVhost__','app':'live','stream':'','param':'',"
                + "'tcUrl':'rtmp://127.0.0.1/live','pageUrl':'http://example.com/page.html'}",
                srs(HookAction.ON_CONNECT, TestEvents.connect("7")));
    }

    @Test
    void srsOnClose() throws Exception {
        assertJson("{'server_id':'vid-0a1b2c3','service_id':'x8k2l9m0','action':'on_close','client_id':'7',"
                + "'ip':'192.168.1.10','vhost':'__defaultVhost__','app':'live','send_bytes':1234,'recv_bytes':567890}",
                srs(HookAction.ON_CLOSE, TestEvents.close("7")));
    }

    @Test
    void srsOnPublish() throws Exception {
        assertJson("{'server_id':'vid-0a1b2c3','service_id':'x8k2l9m0','action':'on_publish','client_id':'7',"
                + "'ip':'192.168.1.10','vhost':'__defaultVhost__','app':'live','tcUrl':'rtmp://127.0.0.1/live',"
                + "'stream':'livestream','param':'?secret=abc','stream_url':'/live/livestream',"
                + "'stream_id':'vid-848424c1db'}",
                srs(HookAction.ON_PUBLISH, TestEvents.publish("7", Map.of("secret", "abc"))));
    }

    @Test
    void srsOnPublishOnAVhost() throws Exception {
        PublishEvent e = TestEvents.publish("7", StreamKey.of("vhost.example.com", "live", "livestream"), Map.of());
        assertJson("{'server_id':'vid-0a1b2c3','service_id':'x8k2l9m0','action':'on_publish','client_id':'7',"
                + "'ip':'192.168.1.10','vhost':'vhost.example.com','app':'live','tcUrl':'rtmp://127.0.0.1/live',"
                + "'stream':'livestream','param':'','stream_url':'vhost.example.com/live/livestream',"
                + "'stream_id':'vid-280386320a'}", srs(HookAction.ON_PUBLISH, e));
    }

    @Test
    void srsOnUnpublish() throws Exception {
        assertJson("{'server_id':'vid-0a1b2c3','service_id':'x8k2l9m0','action':'on_unpublish','client_id':'7',"
                + "'ip':'192.168.1.10','vhost':'__defaultVhost__','app':'live','tcUrl':'rtmp://127.0.0.1/live',"
                + "'stream':'livestream','param':'?secret=abc','stream_url':'/live/livestream',"
                + "'stream_id':'vid-848424c1db'}", srs(HookAction.ON_UNPUBLISH, TestEvents.unpublish("7")));
    }

    @Test
    void srsOnPlay() throws Exception {
        assertJson("{'server_id':'vid-0a1b2c3','service_id':'x8k2l9m0','action':'on_play','client_id':'8',"
                + "'ip':'192.168.1.10','vhost':'__defaultVhost__','app':'live','stream':'livestream',"
                + "'tcUrl':'rtmp://127.0.0.1/live','param':'?token=t1','pageUrl':'http://example.com/page.html',"
                + "'stream_url':'/live/livestream','stream_id':'vid-848424c1db'}",
                srs(HookAction.ON_PLAY, TestEvents.play("8", Map.of("token", "t1"))));
    }

    @Test
    void srsOnStop() throws Exception {
        assertJson("{'server_id':'vid-0a1b2c3','service_id':'x8k2l9m0','action':'on_stop','client_id':'8',"
                + "'ip':'192.168.1.10','vhost':'__defaultVhost__','app':'live','tcUrl':'rtmp://127.0.0.1/live',"
                + "'stream':'livestream','param':'','stream_url':'/live/livestream','stream_id':'vid-848424c1db'}",
                srs(HookAction.ON_STOP, TestEvents.stop("8")));
    }

    @Test
    void srsOnDvr() throws Exception {
        assertJson("{'server_id':'vid-0a1b2c3','service_id':'x8k2l9m0','action':'on_dvr','client_id':'7',"
                + "'ip':'192.168.1.10','vhost':'__defaultVhost__','app':'live','tcUrl':'rtmp://127.0.0.1/live',"
                + "'stream':'livestream','param':'','cwd':'/srv/livehub',"
                + "'file':'/data/record/824b96f9-8d51-4046-ba1e-a9aec7d57c95/index.mp4',"
                + "'stream_url':'/live/livestream','stream_id':'vid-848424c1db'}",
                srs(HookAction.ON_DVR, TestEvents.recordEnd("7")));
    }

    @Test
    void srsOnHls() throws Exception {
        assertJson("{'server_id':'vid-0a1b2c3','service_id':'x8k2l9m0','action':'on_hls','client_id':'7',"
                + "'ip':'192.168.1.10','vhost':'__defaultVhost__','app':'live','tcUrl':'rtmp://127.0.0.1/live',"
                + "'stream':'livestream','param':'','duration':9.96,'cwd':'/srv/livehub',"
                + "'file':'./objs/nginx/html/live/livestream-12.ts','url':'live/livestream-12.ts',"
                + "'m3u8':'./objs/nginx/html/live/livestream.m3u8','m3u8_url':'live/livestream.m3u8','seq_no':12,"
                + "'stream_url':'/live/livestream','stream_id':'vid-848424c1db'}",
                srs(HookAction.ON_HLS, TestEvents.hls("7")));
    }

    // ---- SRS Stack ----

    @Test
    void stackOnPublishMatchesTheFaq() throws Exception {
        assertJson("{'request_id':'b8ffdd76-e1a9-43c8-b238-4649aef76d77','action':'on_publish','opaque':'mytoken',"
                + "'vhost':'__defaultVhost__','app':'live','stream':'livestream',"
                + "'param':'?secret=8f7605d657c74d69b6b48f532c469bc9'}",
                stack(HookAction.ON_PUBLISH, TestEvents.publish("7", Map.of("secret", "8f7605d657c74d69b6b48f532c469bc9"))));
    }

    @Test
    void stackOnUnpublishMatchesTheFaq() throws Exception {
        assertJson("{'request_id':'b8ffdd76-e1a9-43c8-b238-4649aef76d77','action':'on_unpublish','opaque':'mytoken',"
                + "'vhost':'__defaultVhost__','app':'live','stream':'livestream'}",
                stack(HookAction.ON_UNPUBLISH, TestEvents.unpublish("7")));
    }

    @Test
    void stackOnRecordBeginMatchesTheFaq() throws Exception {
        assertJson("{'request_id':'b8ffdd76-e1a9-43c8-b238-4649aef76d77','action':'on_record_begin',"
                + "'opaque':'mytoken','vhost':'__defaultVhost__','app':'live','stream':'livestream',"
                + "'uuid':'824b96f9-8d51-4046-ba1e-a9aec7d57c95'}",
                stack(HookAction.ON_RECORD_BEGIN, TestEvents.recordBegin("7")));
    }

    @Test
    void stackOnRecordEndMatchesTheFaq() throws Exception {
        assertJson("{'request_id':'b8ffdd76-e1a9-43c8-b238-4649aef76d77','action':'on_record_end',"
                + "'opaque':'mytoken','vhost':'__defaultVhost__','app':'live','stream':'livestream',"
                + "'uuid':'824b96f9-8d51-4046-ba1e-a9aec7d57c95','artifact_code':0,"
                + "'artifact_path':'/data/record/824b96f9-8d51-4046-ba1e-a9aec7d57c95/index.mp4',"
                + "'artifact_url':'http://localhost:2022/terraform/v1/hooks/record/hls/"
                + "824b96f9-8d51-4046-ba1e-a9aec7d57c95/index.mp4'}",
                stack(HookAction.ON_RECORD_END, TestEvents.recordEnd("7")));
    }

    @Test
    void stackOnRecordEndCarriesAFailedRecordingsCodeAndTheRecordersUrl() throws Exception {
        RecordEndEvent failed = new RecordEndEvent(TestEvents.client("7"), TestEvents.KEY, Map.of(), TestEvents.TIME,
                "9d1c", Path.of("/data/record/live/livestream.mp4"), Duration.ofSeconds(8), 4096, 2,
                "http://127.0.0.1:8080/record/live/livestream.mp4");
        HookBodies noMapping = new HookBodies(HttpHooksConfig.builder().style(HookStyle.SRS_STACK).opaque("mytoken")
                .build());
        assertJson("{'request_id':'b8ffdd76-e1a9-43c8-b238-4649aef76d77','action':'on_record_end',"
                + "'opaque':'mytoken','vhost':'__defaultVhost__','app':'live','stream':'livestream',"
                + "'uuid':'9d1c','artifact_code':2,'artifact_path':'/data/record/live/livestream.mp4',"
                + "'artifact_url':'http://127.0.0.1:8080/record/live/livestream.mp4'}",
                noMapping.body(HookAction.ON_RECORD_END, failed, REQUEST_ID));
    }

    @Test
    void stackOnPlayConnectCloseStopAndHls() throws Exception {
        String head = "{'request_id':'b8ffdd76-e1a9-43c8-b238-4649aef76d77','opaque':'mytoken',"
                + "'vhost':'__defaultVhost__','app':'live',";
        assertJson(head + "'action':'on_play','stream':'livestream','param':'?token=t1'}",
                stack(HookAction.ON_PLAY, TestEvents.play("8", Map.of("token", "t1"))));
        assertJson(head + "'action':'on_connect','stream':'','param':''}",
                stack(HookAction.ON_CONNECT, TestEvents.connect("8")));
        assertJson(head + "'action':'on_stop','stream':'livestream'}", stack(HookAction.ON_STOP, TestEvents.stop("8")));
        assertJson(head + "'action':'on_close','stream':'livestream','send_bytes':1234,'recv_bytes':567890}",
                stack(HookAction.ON_CLOSE, TestEvents.close("8")));
        assertJson(head + "'action':'on_hls','stream':'livestream','duration':9.96,"
                + "'file':'./objs/nginx/html/live/livestream-12.ts','url':'live/livestream-12.ts',"
                + "'m3u8':'./objs/nginx/html/live/livestream.m3u8','m3u8_url':'live/livestream.m3u8','seq_no':12}",
                stack(HookAction.ON_HLS, TestEvents.hls("7")));
    }

    @Test
    void allEventsFollowsTheStyle() {
        HttpHooksConfig srsConfig = HttpHooksConfig.builder().allEvents("http://h/a").build();
        assertEquals(HookStyle.SRS.actions(), srsConfig.urls().keySet());
        HttpHooksConfig stackConfig = HttpHooksConfig.builder().allEvents("http://h/a").style(HookStyle.SRS_STACK)
                .url(HookAction.ON_PUBLISH, "http://h/b").build();
        assertEquals(HookStyle.SRS_STACK.actions(), stackConfig.urls().keySet());
        assertEquals(java.util.List.of(java.net.URI.create("http://h/a"), java.net.URI.create("http://h/b")),
                stackConfig.urls(HookAction.ON_PUBLISH));
        assertEquals(java.util.List.of(), stackConfig.urls(HookAction.ON_DVR));
    }
}

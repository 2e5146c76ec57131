package io.livehub.push.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livehub.MediaServer;
import io.livehub.hub.HubConfig;
import io.livehub.hub.StreamHub;
import io.livehub.push.PushConfig;
import io.livehub.push.PushModule;
import io.livehub.push.internal.PushEngine;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls every endpoint of the push API over HTTP on loopback, with and without credentials,
 * and checks each status code and the OvenMediaEngine envelope.
 */
class PushHttpServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RTMP_TASK = """
            {"id": "%s", "stream": {"name": "show", "variantNames": []}, "protocol": "rtmp",
             "url": "rtmp://127.0.0.1:1/live", "streamKey": "copy"}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private MediaServer server;
    private String base;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(String token) throws Exception {
        PushModule push = PushModule.builder().config(PushConfig.builder().apiToken(token).vhost("other").build()).build();
        server = MediaServer.builder().httpPort(0).module(push).start();
        base = "http://127.0.0.1:" + server.port("http");
    }

    private record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private Answer post(String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r);
    }

    private Answer post(String path, String body) throws Exception {
        return post(path, body, null);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void startListStopWithTheirStatusCodes() throws Exception {
        start(null);
        Answer created = post("/v1/vhosts/default/apps/live:startPush", RTMP_TASK.formatted("t1"));
        assertEquals(200, created.status(), created.raw().body());
        assertEquals("application/json", created.raw().headers().firstValue("content-type").orElse(""));
        assertEquals(200, created.body().get("statusCode").asInt());
        assertEquals("OK", created.body().get("message").asText());
        JsonNode task = created.body().get("response");
        assertEquals("t1", task.get("id").asText());
        assertEquals("ready", task.get("state").asText(), "no publisher yet");
        assertEquals("default", task.get("vhost").asText());
        assertEquals("live", task.get("app").asText());
        assertEquals("show", task.at("/stream/name").asText());
        assertTrue(task.at("/stream/trackIds").isArray());
        assertEquals("rtmp", task.get("protocol").asText());
        assertEquals("rtmp://127.0.0.1:1/live", task.get("url").asText());
        assertEquals("copy", task.get("streamKey").asText());
        for (String f : List.of("sentBytes", "sentTime", "sequence", "totalsentBytes", "totalsentTime")) {
            assertEquals(0, task.get(f).asLong(), f);
        }
        assertTrue(task.get("createdTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d"),
                task.get("createdTime").asText());
        assertTrue(task.get("startTime").asText().startsWith("19"), "epoch before the first start");

        assertEquals(409, post("/v1/vhosts/default/apps/live:startPush", RTMP_TASK.formatted("t1")).status(), "duplicate id");
        Answer other = post("/v1/vhosts/__defaultVhost__/apps/live:startPush", RTMP_TASK.formatted("t2"));
        assertEquals(200, other.status(), "__defaultVhost__ names the default vhost too");
        assertEquals(200, post("/v1/vhosts/default/apps/studio:startPush", RTMP_TASK.formatted("t3")).status());

        Answer all = post("/v1/vhosts/default/apps/live:pushes", null);
        assertEquals(200, all.status());
        assertEquals(2, all.body().get("response").size(), "only the tasks of app live: " + all.body());
        Answer one = post("/v1/vhosts/default/apps/live:pushes", "{\"id\": \"t2\"}");
        assertEquals(1, one.body().get("response").size());
        assertEquals("t2", one.body().at("/response/0/id").asText());

        Answer stopped = post("/v1/vhosts/default/apps/live:stopPush", "{\"id\": \"t1\"}");
        assertEquals(200, stopped.status());
        assertEquals("t1", stopped.body().at("/response/id").asText());
        assertEquals(404, post("/v1/vhosts/default/apps/live:stopPush", "{\"id\": \"t1\"}").status(), "already stopped");
        assertEquals(404, post("/v1/vhosts/default/apps/live:stopPush", "{\"id\": \"t3\"}").status(), "t3 is in app studio");
        assertEquals(400, post("/v1/vhosts/default/apps/live:stopPush", "{}").status(), "no id");
        assertEquals(1, post("/v1/vhosts/default/apps/live:pushes", "").body().get("response").size());
    }

    @Test
    void badRequestsAreAnsweredWithTheirCodes() throws Exception {
        start(null);
        String start = "/v1/vhosts/default/apps/live:startPush";
        assertEquals(400, post(start, "{not json").status());
        assertEquals(400, post(start, "[1, 2]").status());
        Answer noUrl = post(start, "{\"id\": \"x\", \"stream\": {\"name\": \"show\"}, \"protocol\": \"rtmp\"}");
        assertEquals(400, noUrl.status());
        assertEquals(400, noUrl.body().get("statusCode").asInt());
        assertTrue(noUrl.body().get("message").asText().contains("url"), noUrl.body().toString());
        assertEquals(400, post(start, RTMP_TASK.formatted("x").replace("\"rtmp\",", "\"webrtc\",")).status());
        assertEquals(400, post(start, RTMP_TASK.formatted("bad/id")).status());
        assertEquals(400, post(start, "{\"id\": \"x\", \"stream\": {\"name\": \"show\"}, \"protocol\": \"srt\","
                + " \"url\": \"srt://127.0.0.1:9000?mode=listener\"}").status());
        assertEquals(404, post("/v1/vhosts/nosuch/apps/live:startPush", RTMP_TASK.formatted("x")).status());
        assertEquals(200, post("/v1/vhosts/other/apps/live:pushes", null).status(), "a configured vhost");
        assertEquals(404, post("/v1/vhosts/default/apps/..:pushes", null).status(), "not an app name");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/vhosts/default/apps/live:pushes"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/vhosts/default/apps/live:record"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, other.statusCode(), "not a push path: left to other services");
        assertTrue(post(start, RTMP_TASK.formatted("x")).status() == 200);
    }

    @Test
    void crossSiteWritesAndForeignHostsAreRefused() throws Exception {
        start(null);
        String path = "/v1/vhosts/default/apps/live:startPush";
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(RTMP_TASK.formatted("a")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, plain.statusCode(), "a form or text/plain post needs no preflight: refused");
        HttpResponse<String> crossOrigin = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(RTMP_TASK.formatted("b"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, crossOrigin.statusCode(), crossOrigin.body());
        assertTrue(crossOrigin.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        // DNS rebinding: the browser sends the attacker's name as Host.
        java.net.Socket s = new java.net.Socket("127.0.0.1", server.port("http"));
        try (s) {
            String body = RTMP_TASK.formatted("c");
            s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: rebind.evil.example\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        }
        assertEquals(0, post("/v1/vhosts/default/apps/live:pushes", null).body().path("response").size(),
                "nothing was started");
    }

    @Test
    void withATokenBasicCredentialsAreRequired() throws Exception {
        start("s3cret-token");
        String list = "/v1/vhosts/default/apps/live:pushes";
        Answer none = post(list, null);
        assertEquals(401, none.status());
        assertEquals(401, none.body().get("statusCode").asInt());
        assertTrue(none.raw().headers().firstValue("www-authenticate").orElse("").startsWith("Basic "),
                none.raw().headers().map().toString());
        assertEquals(401, post(list, null, basic("admin", "wrong")).status());
        assertEquals(401, post(list, null, "Basic !!!notbase64").status());
        assertEquals(200, post(list, null, basic("admin", "s3cret-token")).status());
        assertEquals(200, post(list, null, basic("", "s3cret-token")).status(), "any user name");
        assertEquals(200, post("/v1/vhosts/default/apps/live:startPush", RTMP_TASK.formatted("a"),
                basic("x", "s3cret-token")).status());
        assertEquals(401, post("/v1/vhosts/default/apps/live:stopPush", "{\"id\": \"a\"}").status());
        assertEquals(200, post("/v1/vhosts/default/apps/live:stopPush", "{\"id\": \"a\"}",
                basic("x", "s3cret-token")).status());
    }

    @Test
    void withoutATokenOnlyLoopbackIsServed() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        PushEngine engine = new PushEngine(PushConfig.defaults(), new StreamHub(HubConfig.defaults()), group,
                (spec, loop) -> {
                    throw new IllegalStateException("no connection in this test");
                }, List.of());
        try {
            PushHttpService service = new PushHttpService(engine);
            // An embedded channel's remote address is not a loopback socket address.
            EmbeddedChannel ch = new EmbeddedChannel(new SimpleChannelInboundHandler<FullHttpRequest>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
                    assertTrue(service.handle(ctx, req));
                }
            });
            ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    "/v1/vhosts/default/apps/live:pushes", Unpooled.EMPTY_BUFFER));
            FullHttpResponse r = ch.readOutbound();
            try {
                assertEquals(403, r.status().code());
                assertTrue(r.content().toString(StandardCharsets.UTF_8).contains("loopback"));
            } finally {
                r.release();
            }
            assertFalse(ch.finish());
        } finally {
            engine.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}

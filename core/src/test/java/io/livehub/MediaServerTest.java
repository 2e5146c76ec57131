package io.livehub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.http.HttpResponses;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class MediaServerTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsOnEphemeralPortServesRoutesAndClosesIdempotently() throws Exception {
        MediaServer server = MediaServer.builder().httpPort(0).build();
        assertSame(server, server.start());
        int port = server.port("http");
        assertTrue(port > 0);
        server.httpRoutes().add((ctx, req) -> {
            if (!req.uri().equals("/hello")) {
                return false;
            }
            HttpResponses.text(ctx, req, HttpResponseStatus.OK, "hi\n");
            return true;
        });
        HttpResponse<String> ok = get(port, "/hello");
        assertEquals(200, ok.statusCode());
        assertEquals("hi\n", ok.body());
        assertEquals("*", ok.headers().firstValue("access-control-allow-origin").orElse(""));
        assertEquals(404, get(port, "/nothing").statusCode());
        HttpResponse<String> pre = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, pre.statusCode());
        server.close();
        server.close();
        assertThrows(IllegalStateException.class, server::start);
        // The port is free again.
        try (ServerSocket s = new ServerSocket(port)) {
            assertEquals(port, s.getLocalPort());
        }
    }

    @Test
    void failedStartReleasesWhatWasBound() throws Exception {
        int[] boundHttp = new int[1];
        ServerModule failing = new ServerModule() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public void start(ServerContext context) throws Exception {
                throw new BindException("port taken");
            }

            @Override
            public CompletionStage<Void> stop() {
                return CompletableFuture.completedFuture(null);
            }
        };
        MediaServer server = MediaServer.builder().httpPort(0).module(new ServerModule() {
            @Override
            public String name() {
                return "recorder";
            }

            @Override
            public void start(ServerContext context) {
                boundHttp[0] = 1;
            }

            @Override
            public CompletionStage<Void> stop() {
                boundHttp[0] = 2;
                return CompletableFuture.completedFuture(null);
            }
        }).module(failing).build();
        assertThrows(BindException.class, server::start);
        assertEquals(2, boundHttp[0], "modules started before the failure are stopped");
        int port = server.ports().get("http");
        try (ServerSocket s = new ServerSocket(port)) {
            assertEquals(port, s.getLocalPort());
        }
        server.close();
    }

    @Test
    void aBindFailureNamesTheModuleAndTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            MediaServer server = MediaServer.builder().http(io.livehub.http.HttpServerConfig.builder()
                    .host("127.0.0.1").port(taken.getLocalPort()).build()).build();
            java.io.IOException e = assertThrows(java.io.IOException.class, server::start);
            assertTrue(e.getMessage().startsWith("http: cannot bind TCP 127.0.0.1:" + taken.getLocalPort()),
                    e.getMessage());
        }
    }

    @Test
    void unknownPortNameIsAClearError() throws Exception {
        try (MediaServer server = MediaServer.builder().httpPort(-1).start()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.port("rtmp"));
            assertTrue(e.getMessage().contains("rtmp"));
        }
    }
}

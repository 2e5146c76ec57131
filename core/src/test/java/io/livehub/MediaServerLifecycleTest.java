package io.livehub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.http.HttpServerConfig;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The health endpoints, the lifecycle listeners, {@code join()} and the HTTP builder settings. */
class MediaServerLifecycleTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A module whose start and stop wait for the test, so it can probe the server in between. */
    private static final class GateModule implements ServerModule {
        final CountDownLatch inStart = new CountDownLatch(1);
        final CountDownLatch releaseStart = new CountDownLatch(1);
        final CountDownLatch inStop = new CountDownLatch(1);
        final CountDownLatch releaseStop = new CountDownLatch(1);

        @Override
        public String name() {
            return "gate";
        }

        volatile ServerContext context;

        @Override
        public void start(ServerContext context) throws Exception {
            this.context = context;
            inStart.countDown();
            assertTrue(releaseStart.await(20, TimeUnit.SECONDS));
        }

        @Override
        public CompletionStage<Void> stop() {
            inStop.countDown();
            try {
                assertTrue(releaseStop.await(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    private static final class Recorder implements LifecycleListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void starting(MediaServer server) {
            seen.add("starting");
        }

        @Override
        public void started(MediaServer server) {
            seen.add("started");
        }

        @Override
        public void stopping(MediaServer server) {
            seen.add("stopping");
        }

        @Override
        public void stopped(MediaServer server) {
            seen.add("stopped");
        }
    }

    @Test
    void readyOnlyBetweenStartedAndStoppingWhileLiveAllAlong() throws Exception {
        GateModule gate = new GateModule();
        Recorder recorder = new Recorder();
        MediaServer server = MediaServer.builder().httpPort(0).module(gate).lifecycleListener(recorder)
                .lifecycleListener(new LifecycleListener() {
                    @Override
                    public void started(MediaServer s) {
                        throw new IllegalStateException("a failing listener changes nothing");
                    }
                }).build();
        CompletableFuture<MediaServer> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return server.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(gate.inStart.await(20, TimeUnit.SECONDS));
        int port = server.port("http");
        assertEquals(port, gate.context.ports().get("http"));
        assertEquals(List.of("starting"), recorder.seen);
        HttpResponse<String> notYet = get(port, "/readyz");
        assertEquals(503, notYet.statusCode());
        assertEquals("{\"status\":\"starting\"}\n", notYet.body());
        assertEquals("application/json", notYet.headers().firstValue("content-type").orElse(""));
        HttpResponse<String> live = get(port, "/healthz");
        assertEquals(200, live.statusCode());
        assertEquals("{\"status\":\"ok\"}\n", live.body());
        assertFalse(server.isReady());

        gate.releaseStart.countDown();
        starting.get(20, TimeUnit.SECONDS);
        assertTrue(server.isReady());
        assertEquals(List.of("starting", "started"), recorder.seen);
        HttpResponse<String> ready = get(port, "/readyz");
        assertEquals(200, ready.statusCode());
        assertEquals("{\"status\":\"ready\"}\n", ready.body());
        assertFalse(server.awaitTermination(Duration.ZERO));

        CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> {
            try {
                server.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        assertTrue(gate.inStop.await(20, TimeUnit.SECONDS));
        HttpResponse<String> stopping = get(port, "/readyz");
        assertEquals(503, stopping.statusCode());
        assertEquals("{\"status\":\"stopping\"}\n", stopping.body());
        assertEquals(200, get(port, "/healthz").statusCode());
        assertFalse(joined.isDone());

        gate.releaseStop.countDown();
        closing.get(20, TimeUnit.SECONDS);
        joined.get(20, TimeUnit.SECONDS);
        assertTrue(server.awaitTermination(Duration.ZERO));
        assertEquals(List.of("starting", "started", "stopping", "stopped"), recorder.seen);
    }

    @Test
    void failedStartIsHeardAsStoppingAndStoppedAndEndsJoin() throws Exception {
        Recorder recorder = new Recorder();
        MediaServer server = MediaServer.builder().httpPort(0).lifecycleListener(recorder).module(new ServerModule() {
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
        }).build();
        assertThrows(BindException.class, server::start);
        assertEquals(List.of("starting", "stopping", "stopped"), recorder.seen);
        assertTrue(server.awaitTermination(Duration.ZERO));
        server.join();
    }

    @Test
    void healthEndpointsCanBeTurnedOff() throws Exception {
        try (MediaServer server = MediaServer.builder().httpPort(0).healthEndpoints(false).start()) {
            assertEquals(404, get(server.port("http"), "/readyz").statusCode());
            assertEquals(404, get(server.port("http"), "/healthz").statusCode());
        }
    }

    @Test
    void httpPortAfterHttpKeepsTheOtherSettings() {
        HttpServerConfig cfg = HttpServerConfig.builder().host("127.0.0.1").port(9999).maxRequestBytes(1234)
                .idleTimeout(Duration.ofSeconds(7)).corsAllowOrigin("https://example.com")
                .requestHeadTimeout(Duration.ofSeconds(3)).maxConnectionsPerAddress(9).maxConnections(99).build();
        MediaServer server = MediaServer.builder().http(cfg).httpPort(0).build();
        HttpServerConfig got = server.httpConfig();
        assertEquals(0, got.port());
        assertEquals("127.0.0.1", got.host());
        assertEquals(1234, got.maxRequestBytes());
        assertEquals(cfg.maxHeaderBytes(), got.maxHeaderBytes());
        assertEquals(cfg.maxInitialLineBytes(), got.maxInitialLineBytes());
        assertEquals(Duration.ofSeconds(7), got.idleTimeout());
        assertEquals("https://example.com", got.corsAllowOrigin());
        assertEquals(Duration.ofSeconds(3), got.requestHeadTimeout());
        assertEquals(cfg.connectionLimits(), got.connectionLimits());
        assertEquals(9, got.connectionLimits().perAddress());
        // The other order: http(cfg) replaces what httpPort set.
        assertEquals(9999, MediaServer.builder().httpPort(0).http(cfg).build().httpConfig().port());
    }
}

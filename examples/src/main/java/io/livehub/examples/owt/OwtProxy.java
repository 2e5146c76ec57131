package io.livehub.examples.owt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livehub.MediaServer;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PublishEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.hooks.api.ManagementApi;
import io.livehub.hooks.api.ManagementHttpService;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every stream published to Livehub into an OWT (Open WebRTC Toolkit) server, as the
 * SRS-to-OWT proxy process does with SRS's {@code on_publish}/{@code on_unpublish} callbacks,
 * here as a {@link MediaServerListener} in the same process:
 * <ol>
 *   <li>on publish: {@code POST /rooms} {@code {"name":"app/stream","options":[]}}, then
 *       {@code POST /rooms/:room/streaming-ins} with the stream's RTMP URL
 *       ({@code {"connection":{"url":..,"transportProtocol":"udp","bufferSize":8192},
 *       "media":{"video":"auto","audio":"auto"}}}), then {@code PATCH /rooms/:room/streams/:id}
 *       {@code [{"op":"add","path":"/info/inViews","value":"common"}]};</li>
 *   <li>on unpublish: {@code DELETE /rooms/:room/streaming-ins/:id}, then {@code DELETE /rooms/:room}.</li>
 * </ol>
 * The calls run in the background: a publish is allowed at once and never waits for OWT. The
 * calls of one stream run in order, an unpublish after its publish's calls; an unpublish stops
 * the creation calls still pending and deletes what was created. A call that fails with an I/O
 * error, a timeout, 429 or 5xx is retried with exponential backoff up to the configured number
 * of attempts; every failure is logged. A retried {@code POST} whose first try reached OWT may
 * create a second room; OWT's answers carry no idempotency key to prevent it.
 *
 * <p>Thread-safety: the listener methods may be called from any thread; the per-stream state is
 * handed between the calls of one stream through their completion chain.
 */
public final class OwtProxy implements MediaServerListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OwtProxy.class);

    private final URI owt;
    private final String rtmpBase;
    private final int attempts;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<StreamKey, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();
    private final Map<StreamKey, Room> rooms = new ConcurrentHashMap<>();

    /** One published stream's OWT objects; written by its chain's steps, one at a time. */
    private static final class Room {
        final StreamKey key;
        volatile boolean unpublished;
        volatile String roomId;
        volatile String streamingInId;

        Room(StreamKey key) {
            this.key = key;
        }
    }

    private OwtProxy(Builder b) {
        this.owt = b.owt;
        this.rtmpBase = b.rtmpBase;
        this.attempts = b.attempts;
        this.backoff = b.backoff;
        this.maxBackoff = b.maxBackoff;
        this.requestTimeout = b.requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "owt-proxy");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Returns a builder for an OWT server whose REST API is at {@code owt} (the base before
     * {@code /rooms}) and which pulls streams from {@code rtmpBase} ({@code rtmp://host:1935}).
     */
    public static Builder builder(URI owt, String rtmpBase) {
        return new Builder(owt, rtmpBase);
    }

    @Override
    public CompletionStage<Decision> onPublish(PublishEvent event) {
        Room room = new Room(event.stream());
        Room previous = rooms.put(event.stream(), room);
        if (previous != null) {
            previous.unpublished = true;
        }
        then(event.stream(), () -> create(room));
        return Decision.allowStage();
    }

    @Override
    public void onUnpublish(UnpublishEvent event) {
        Room room = rooms.remove(event.stream());
        if (room == null) {
            return;
        }
        room.unpublished = true;
        then(event.stream(), () -> delete(room));
    }

    private void then(StreamKey key, Supplier<CompletableFuture<Void>> step) {
        CompletableFuture<Void> next = chains.compute(key, (k, prev) ->
                (prev == null ? CompletableFuture.<Void>completedFuture(null) : prev)
                        .thenCompose(v -> step.get()).exceptionally(t -> null));
        // Outside compute: a step that is already done would otherwise update the map from within.
        next.whenComplete((v, t) -> chains.remove(key, next));
    }

    private CompletableFuture<Void> create(Room room) {
        String name = room.key.path();
        ObjectNode body = mapper.createObjectNode();
        body.put("name", name);
        body.putArray("options");
        return call(room, "POST", "/rooms", body, true).thenCompose(created -> {
            room.roomId = idOf(created, "_id", "id");
            if (room.roomId == null) {
                throw new OwtException("POST /rooms answered without a room id: " + created);
            }
            log.info("OWT room {} for {}", room.roomId, name);
            return call(room, "POST", "/rooms/" + room.roomId + "/streaming-ins", streamingIn(room.key), true);
        }).thenCompose(in -> {
            room.streamingInId = idOf(in, "id", "_id");
            if (room.streamingInId == null) {
                throw new OwtException("POST streaming-ins answered without an id: " + in);
            }
            ArrayNode patch = mapper.createArrayNode();
            patch.addObject().put("op", "add").put("path", "/info/inViews").put("value", "common");
            return call(room, "PATCH", "/rooms/" + room.roomId + "/streams/" + room.streamingInId, patch, true);
        }).handle((v, t) -> {
            if (t != null) {
                log.warn("OWT did not get {} ({}): {}", name, room.unpublished ? "unpublished meanwhile" : "gave up",
                        rootCause(t).toString());
            } else {
                log.info("OWT pulls {} as streaming-in {} of room {}", name, room.streamingInId, room.roomId);
            }
            return null;
        });
    }

    private CompletableFuture<Void> delete(Room room) {
        CompletableFuture<JsonNode> f = CompletableFuture.completedFuture(null);
        if (room.roomId != null && room.streamingInId != null) {
            f = call(room, "DELETE", "/rooms/" + room.roomId + "/streaming-ins/" + room.streamingInId, null, false)
                    .exceptionally(t -> {
                        log.warn("OWT streaming-in {} was not deleted: {}", room.streamingInId, rootCause(t).toString());
                        return null;
                    });
        }
        if (room.roomId != null) {
            f = f.thenCompose(v -> call(room, "DELETE", "/rooms/" + room.roomId, null, false));
        }
        return f.handle((v, t) -> {
            if (t != null) {
                log.warn("OWT room {} was not deleted: {}", room.roomId, rootCause(t).toString());
            } else if (room.roomId != null) {
                log.info("OWT room {} of {} deleted", room.roomId, room.key.path());
            }
            return null;
        });
    }

    private JsonNode streamingIn(StreamKey key) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode connection = body.putObject("connection");
        connection.put("url", rtmpUrl(key));
        connection.put("transportProtocol", "udp");
        connection.put("bufferSize", 8192);
        ObjectNode media = body.putObject("media");
        media.put("video", "auto");
        media.put("audio", "auto");
        return body;
    }

    /** Returns the URL OWT pulls {@code key} from. */
    public String rtmpUrl(StreamKey key) {
        String vhost = StreamKey.DEFAULT_VHOST.equals(key.vhost()) ? "" : "?vhost=" + key.vhost();
        return rtmpBase + "/" + key.app() + vhost + "/" + key.name();
    }

    /**
     * Sends one call, retrying failures that may pass; {@code stopWhenUnpublished} gives up
     * before a retry once the stream is gone.
     */
    private CompletableFuture<JsonNode> call(Room room, String method, String path, JsonNode body,
                                             boolean stopWhenUnpublished) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        attempt(room, method, path, body, stopWhenUnpublished, 1, result);
        return result;
    }

    private void attempt(Room room, String method, String path, JsonNode body, boolean stopWhenUnpublished,
                         int attempt, CompletableFuture<JsonNode> result) {
        if (stopWhenUnpublished && room.unpublished) {
            result.completeExceptionally(new OwtException("stream unpublished before " + method + " " + path));
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(owt.resolve(owt.getPath().replaceAll("/$", "") + path))
                .timeout(requestTimeout);
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
        } catch (IOException e) {
            result.completeExceptionally(e);
            return;
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
            String why;
            boolean retry;
            if (err != null) {
                why = rootCause(err).toString();
                retry = true;
            } else if (resp.statusCode() / 100 == 2) {
                try {
                    String text = resp.body();
                    result.complete(text == null || text.isBlank() ? mapper.createObjectNode() : mapper.readTree(text));
                } catch (IOException e) {
                    result.completeExceptionally(new OwtException(method + " " + path + " answered with bad JSON"));
                }
                return;
            } else {
                why = "HTTP " + resp.statusCode();
                retry = resp.statusCode() >= 500 || resp.statusCode() == 429;
            }
            if (!retry || attempt >= attempts || scheduler.isShutdown()) {
                log.warn("OWT {} {} failed ({}), attempt {} of {}, giving up", method, path, why, attempt, attempts);
                result.completeExceptionally(new OwtException(method + " " + path + " failed: " + why));
                return;
            }
            long delay = Math.min(maxBackoff.toMillis(), backoff.toMillis() << Math.min(attempt - 1, 20));
            log.warn("OWT {} {} failed ({}), attempt {} of {}, retrying in {} ms", method, path, why, attempt,
                    attempts, delay);
            try {
                scheduler.schedule(() -> attempt(room, method, path, body, stopWhenUnpublished, attempt + 1, result),
                        delay, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    private static String idOf(JsonNode n, String first, String second) {
        if (n == null) {
            return null;
        }
        JsonNode id = n.hasNonNull(first) ? n.get(first) : n.get(second);
        return id == null || id.isNull() || id.asText().isEmpty() ? null : id.asText();
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Waits until no call is pending or scheduled, at most {@code timeout}.
     *
     * @return whether everything finished in time
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!chains.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Stops retrying; calls in flight end on their own. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** Runs a Livehub server (RTMP, HTTP-FLV, management API on loopback) that feeds OWT. */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String owtUrl = args.length > 0 ? args[0] : env.getOrDefault("OWT_URL", "http://127.0.0.1:3000/v1");
        int rtmpPort = Integer.parseInt(env.getOrDefault("RTMP_PORT", "1935"));
        int httpPort = Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080"));
        String rtmpBase = env.getOrDefault("OWT_RTMP_BASE", "rtmp://127.0.0.1:" + rtmpPort);
        OwtProxy proxy = builder(URI.create(owtUrl), rtmpBase).build();
        MediaServer server = MediaServer.builder().httpPort(httpPort)
                .module(RtmpModule.builder().port(rtmpPort).build())
                .module(HttpFlvModule.builder().build())
                .listener(proxy)
                .build();
        server.httpRoutes().add(new ManagementHttpService(new ManagementApi(server), env.get("LIVEHUB_API_TOKEN")));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            try {
                proxy.awaitIdle(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            proxy.close();
        }, "owt-proxy-shutdown"));
        log.info("publish to rtmp://<host>:{}/live/<stream>; OWT at {} pulls it from {}/live/<stream>",
                server.port("rtmp"), owtUrl, rtmpBase);
    }

    /** Reports a failed OWT call. */
    static final class OwtException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OwtException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Builds an {@link OwtProxy}. Defaults: 5 attempts per call, backoff from 500 ms doubling up
     * to 10 s, 5 s per request.
     */
    public static final class Builder {
        private final URI owt;
        private final String rtmpBase;
        private int attempts = 5;
        private Duration backoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(5);

        private Builder(URI owt, String rtmpBase) {
            this.owt = Objects.requireNonNull(owt, "owt");
            this.rtmpBase = Objects.requireNonNull(rtmpBase, "rtmpBase").replaceAll("/+$", "");
        }

        /** Sets how many times a call is tried in all (at least 1). */
        public Builder attempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be >= 1");
            }
            this.attempts = attempts;
            return this;
        }

        /** Sets the first retry delay and the longest one. */
        public Builder backoff(Duration first, Duration max) {
            this.backoff = Objects.requireNonNull(first, "first");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Sets how long one request may take. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public OwtProxy build() {
            return new OwtProxy(this);
        }
    }
}

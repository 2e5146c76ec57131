package io.livehub.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livehub.MediaServer;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.HlsSegmentEvent;
import io.livehub.event.MediaEvent;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.event.RecordBeginEvent;
import io.livehub.event.RecordEndEvent;
import io.livehub.event.StopEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.hooks.internal.BoundedBodySubscriber;
import io.livehub.hooks.internal.HookAnswer;
import io.livehub.hooks.internal.NotificationQueue.Delivery;
import io.livehub.hooks.internal.NotificationQueue.Outcome;
import io.livehub.hooks.internal.NotificationQueue;
import io.livehub.util.RateLimitedLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the server's events to HTTP callbacks with the bodies and answers of SRS or SRS Stack,
 * so an existing SRS hook server works unchanged (see {@link HookBodies} for the fields).
 *
 * <pre>{@code
 * HttpHooks hooks = new HttpHooks(HttpHooksConfig.builder()
 *         .url(HookAction.ON_PUBLISH, "http://127.0.0.1:8085/api/v1/streams")
 *         .allEvents("https://hooks.example.com/livehub")
 *         .build());
 * MediaServer server = MediaServer.builder().listener(hooks) ... .start();
 * ...
 * server.close();
 * hooks.close();
 * }</pre>
 *
 * <p>Decisions ({@code on_connect}, {@code on_publish}, {@code on_play}) call their URLs one
 * after the other while the client waits; the request is allowed only when every URL answers
 * status 200 with {@code 0} or {@code {"code":0}}. A refusal denies at once and later URLs are
 * not called. A connection error, a timeout or a 5xx status denies too, unless
 * {@link HttpHooksConfig#failOpen()}. Decisions are not retried: the client is waiting.
 *
 * <p>Notifications (close, unpublish, stop, record, HLS) return at once and are delivered in
 * the background, each URL on its own: in order per client and URL, retried with
 * {@link RetryPolicy} on connection errors, timeouts and 5xx statuses, and held in a queue of
 * {@link HttpHooksConfig#queueCapacity()} at most. A recording's end posts {@code on_dvr} and
 * {@code on_record_end} to their own URLs.
 *
 * <p>Every callback of one event carries the same request id, in SRS Stack's
 * {@code request_id} field and in an {@code X-Request-Id} header for both styles, and it stays
 * the same across retries, so a receiver can drop duplicates. Bodies are
 * {@code Content-Type: application/json}; with a signing key they carry a
 * {@link HookSigner} signature header. A failed call is logged once with its action, its URL
 * without query or user info, and the reason; bodies (which hold stream secrets) never are.
 *
 * <p>The HTTP client is the JDK's {@link HttpClient}: it adds no dependency, speaks HTTPS with
 * the JVM's trust store or a given {@link javax.net.ssl.SSLContext}, keeps connections alive,
 * and its asynchronous API yields a {@link CompletableFuture} that becomes the decision stage
 * directly. Answers are handled on this object's own thread pool, never on the media server's
 * Netty event loops, as ARCHITECTURE.md 3.7 requires; a Netty client would have to run on
 * those loops or bring a second event loop group.
 *
 * <p>Thread-safety: all methods may be called from any thread; listener methods never block.
 * {@link #close()} drops what is still queued; call {@link #awaitIdle} first to let it out.
 */
public final class HttpHooks implements MediaServerListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpHooks.class);
    /** A hook that is down fails every decision: one line per action and outcome per 10 s. */
    private static final RateLimitedLog limited = new RateLimitedLog(log, Duration.ofSeconds(10));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_AGENT = "Livehub/" + MediaServer.VERSION;

    private final HttpHooksConfig config;
    private final HookBodies bodies;
    private final HookSigner signer;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final HttpClient client;
    private final NotificationQueue<Call> queue;

    /** One POST of one event's body to one URL. */
    private record Call(HookAction action, URI url, byte[] body, String requestId) {
    }

    public HttpHooks(HttpHooksConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.bodies = new HookBodies(config);
        byte[] key = config.signingKey();
        this.signer = key == null ? null : new HookSigner(key);
        this.executor = Executors.newCachedThreadPool(threads("livehub-hooks-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("livehub-hooks-timer-"));
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor);
        if (config.sslContext() != null) {
            b.sslContext(config.sslContext());
        }
        this.client = b.build();
        this.queue = new NotificationQueue<>(config.queueCapacity(), config.retry(), this::deliver, timer, log);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public HttpHooksConfig config() {
        return config;
    }

    // ---- decisions ----

    @Override
    public CompletionStage<Decision> onConnect(ConnectEvent event) {
        if (!SrsHookMapping.sendsConnect(event.protocol())) {
            return Decision.allowStage();
        }
        return decide(HookAction.ON_CONNECT, event);
    }

    @Override
    public CompletionStage<Decision> onPublish(PublishEvent event) {
        return decide(HookAction.ON_PUBLISH, event);
    }

    @Override
    public CompletionStage<Decision> onPlay(PlayEvent event) {
        if (!SrsHookMapping.sendsPlay(event.protocol())) {
            return Decision.allowStage();
        }
        return decide(HookAction.ON_PLAY, event);
    }

    private CompletionStage<Decision> decide(HookAction action, MediaEvent event) {
        List<URI> urls = config.urls(action);
        if (urls.isEmpty()) {
            return Decision.allowStage();
        }
        String requestId = UUID.randomUUID().toString();
        byte[] body = encode(action, event, requestId);
        CompletableFuture<Decision> chain = CompletableFuture.completedFuture(Decision.allow());
        for (URI url : urls) {
            chain = chain.thenCompose(d -> d.allowed()
                    ? ask(new Call(action, url, body, requestId), event) : CompletableFuture.completedFuture(d));
        }
        return chain;
    }

    private CompletableFuture<Decision> ask(Call call, MediaEvent event) {
        String what = call.action.action() + " of client " + event.clientId() + " to " + redact(call.url);
        return post(call).handleAsync((response, error) -> {
            String reason;
            boolean answered;
            if (error != null) {
                reason = describe(error);
                answered = false;
            } else {
                reason = HookAnswer.refusal(response.statusCode(), response.body());
                if (reason == null) {
                    return Decision.allow();
                }
                answered = response.statusCode() < 500;
            }
            if (!answered && config.failOpen()) {
                limited.warn(call.action.action() + "-fail-open", "{} failed: {}; allowed (fail open)", what, reason);
                return Decision.allow();
            }
            limited.warn(call.action.action() + "-denied", "{} failed: {}; denied", what, reason);
            return Decision.deny(answered ? call.action.action() + " hook refused (" + reason + ")"
                    : call.action.action() + " hook unavailable (" + reason + ")");
        }, executor);
    }

    // ---- notifications ----

    @Override
    public void onClose(CloseEvent event) {
        if (SrsHookMapping.sendsConnect(event.protocol())) {
            enqueue(HookAction.ON_CLOSE, event);
        }
    }

    @Override
    public void onUnpublish(UnpublishEvent event) {
        enqueue(HookAction.ON_UNPUBLISH, event);
    }

    @Override
    public void onStop(StopEvent event) {
        if (SrsHookMapping.sendsPlay(event.protocol())) {
            enqueue(HookAction.ON_STOP, event);
        }
    }

    @Override
    public void onRecordBegin(RecordBeginEvent event) {
        enqueue(HookAction.ON_RECORD_BEGIN, event);
    }

    @Override
    public void onRecordEnd(RecordEndEvent event) {
        enqueue(HookAction.ON_DVR, event);
        enqueue(HookAction.ON_RECORD_END, event);
    }

    @Override
    public void onHlsSegment(HlsSegmentEvent event) {
        enqueue(HookAction.ON_HLS, event);
    }

    private void enqueue(HookAction action, MediaEvent event) {
        List<URI> urls = config.urls(action);
        if (urls.isEmpty()) {
            return;
        }
        String requestId = UUID.randomUUID().toString();
        byte[] body = encode(action, event, requestId);
        for (URI url : urls) {
            String target = redact(url);
            queue.offer(new Delivery<>(target + " " + event.clientId(),
                    action.action() + " " + requestId + " of client " + event.clientId() + " to " + target,
                    new Call(action, url, body, requestId)));
        }
    }

    private CompletionStage<Outcome> deliver(Delivery<Call> d) {
        return post(d.payload()).handleAsync((response, error) -> {
            if (error != null) {
                return Outcome.retry(describe(error));
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                // SRS and SRS Stack ignore the answer to a notification.
                return Outcome.ok();
            }
            return HookAnswer.retryable(status) ? Outcome.retry("status " + status) : Outcome.fail("status " + status);
        }, executor);
    }

    // ---- HTTP ----

    private byte[] encode(HookAction action, MediaEvent event, String requestId) {
        try {
            return JSON.writeValueAsBytes(bodies.body(action, event, requestId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree", e);
        }
    }

    private CompletableFuture<HttpResponse<String>> post(Call call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(call.url)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("X-Request-Id", call.requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.body));
        if (signer != null) {
            b.header(config.signatureHeader(), signer.sign(call.body));
        }
        CompletableFuture<HttpResponse<String>> f;
        try {
            int limit = config.maxResponseBytes();
            f = client.sendAsync(b.build(), info -> new BoundedBodySubscriber(limit));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // The request timeout ends the wait for the headers; this one also bounds the body.
        return f.orTimeout(config.timeout().toMillis() + 50, TimeUnit.MILLISECONDS);
    }

    private String describe(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof HttpTimeoutException || c instanceof TimeoutException) {
            return "no answer within " + config.timeout().toMillis() + " ms";
        }
        if (c instanceof java.net.ConnectException) {
            return "connection refused or unreachable";
        }
        if (c instanceof javax.net.ssl.SSLException) {
            return "TLS failure: " + c.getMessage();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null || m.isEmpty() ? "" : ": " + m);
    }

    /**
     * Returns {@code url} without user info, query and fragment, the form written to logs,
     * since those parts often carry tokens.
     */
    public static String redact(URI url) {
        if (url == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder();
        if (url.getScheme() != null) {
            s.append(url.getScheme()).append("://");
        }
        if (url.getHost() != null) {
            s.append(url.getHost());
            if (url.getPort() >= 0) {
                s.append(':').append(url.getPort());
            }
        }
        if (url.getRawPath() != null) {
            s.append(url.getRawPath());
        }
        if (url.getRawQuery() != null) {
            s.append("?...");
        }
        return s.toString();
    }

    // ---- state ----

    /** Returns the notifications held: waiting, on the wire or waiting to be retried. */
    public int pending() {
        return queue.size();
    }

    /** Returns the notifications a receiver accepted (a 2xx status). */
    public long delivered() {
        return queue.delivered();
    }

    /** Returns the notifications given up on after their last attempt. */
    public long failed() {
        return queue.failed();
    }

    /** Returns the notifications dropped because the queue was full or closed. */
    public long dropped() {
        return queue.dropped();
    }

    /**
     * Waits until every queued notification is delivered or given up, up to {@code timeout};
     * returns whether the queue is empty.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return queue.awaitIdle(timeout);
    }

    /** Drops the queued notifications and stops the retry timer and the callback threads. */
    @Override
    public void close() {
        int left = queue.size();
        queue.close();
        timer.shutdownNow();
        executor.shutdown();
        if (left > 0) {
            log.warn("HTTP hooks closed with {} notifications undelivered", left);
        }
    }
}

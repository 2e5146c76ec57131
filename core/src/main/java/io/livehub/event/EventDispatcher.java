package io.livehub.event;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the server's {@link MediaServerListener}s away from the network event
 * loops, and combines their decisions (ARCHITECTURE.md section 3, point 7).
 *
 * <p>Listeners run on a small pool of single-threaded lanes; all events of one client go to
 * the same lane, so they arrive in order. A decision is allowed only when every listener
 * allows it, in registration order; the first denial, an exception or the decision timeout
 * denies it.
 *
 * <p>Thread-safety: all methods may be called from any thread; they never block.
 */
public final class EventDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final List<MediaServerListener> listeners;
    private final Duration decisionTimeout;
    private final ExecutorService[] lanes;
    private final ScheduledExecutorService timer;

    /**
     * @param listeners       called in this order
     * @param decisionTimeout how long a connection waits for a decision before it is denied
     * @param lanes           the number of listener threads
     */
    public EventDispatcher(List<MediaServerListener> listeners, Duration decisionTimeout, int lanes) {
        this.listeners = List.copyOf(listeners);
        this.decisionTimeout = Objects.requireNonNull(decisionTimeout, "decisionTimeout");
        this.lanes = new ExecutorService[Math.max(1, lanes)];
        for (int i = 0; i < this.lanes.length; i++) {
            this.lanes[i] = Executors.newSingleThreadExecutor(threads("livehub-listener-" + i));
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("livehub-listener-timer"));
    }

    private static ThreadFactory threads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public Duration decisionTimeout() {
        return decisionTimeout;
    }

    /** Returns whether any listener is registered. */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    public CompletionStage<Decision> connect(ConnectEvent event) {
        return decide(event, MediaServerListener::onConnect);
    }

    public CompletionStage<Decision> publish(PublishEvent event) {
        return decide(event, MediaServerListener::onPublish);
    }

    public CompletionStage<Decision> play(PlayEvent event) {
        return decide(event, MediaServerListener::onPlay);
    }

    public void close(CloseEvent event) {
        notify(event, MediaServerListener::onClose);
    }

    public void unpublish(UnpublishEvent event) {
        notify(event, MediaServerListener::onUnpublish);
    }

    public void stop(StopEvent event) {
        notify(event, MediaServerListener::onStop);
    }

    public void recordBegin(RecordBeginEvent event) {
        notify(event, MediaServerListener::onRecordBegin);
    }

    public void recordEnd(RecordEndEvent event) {
        notify(event, MediaServerListener::onRecordEnd);
    }

    public void hlsSegment(HlsSegmentEvent event) {
        notify(event, MediaServerListener::onHlsSegment);
    }

    private Executor lane(MediaEvent event) {
        return lanes[Math.floorMod(event.clientId().hashCode(), lanes.length)];
    }

    private <E extends MediaEvent> CompletionStage<Decision> decide(
            E event, BiFunction<MediaServerListener, E, CompletionStage<Decision>> call) {
        if (listeners.isEmpty()) {
            return Decision.allowStage();
        }
        CompletableFuture<Decision> result = new CompletableFuture<>();
        Executor lane = lane(event);
        try {
            lane.execute(() -> ask(0, event, call, lane, result));
        } catch (RuntimeException e) {
            result.complete(Decision.deny("server is shutting down"));
            return result;
        }
        long ms = decisionTimeout.toMillis();
        if (ms > 0) {
            try {
                var timeout = timer.schedule(() -> {
                    if (result.complete(Decision.deny("decision timed out after " + ms + " ms"))) {
                        log.warn("{} by client {} for {}: no decision within {} ms, denied",
                                event.getClass().getSimpleName(), event.clientId(), event.stream(), ms);
                    }
                }, ms, TimeUnit.MILLISECONDS);
                result.whenComplete((d, t) -> timeout.cancel(false));
            } catch (RuntimeException e) {
                result.complete(Decision.deny("server is shutting down"));
            }
        }
        return result;
    }

    private <E extends MediaEvent> void ask(int index, E event,
                                            BiFunction<MediaServerListener, E, CompletionStage<Decision>> call,
                                            Executor lane, CompletableFuture<Decision> result) {
        if (result.isDone()) {
            return;
        }
        if (index == listeners.size()) {
            result.complete(Decision.allow());
            return;
        }
        CompletionStage<Decision> stage;
        try {
            stage = Objects.requireNonNull(call.apply(listeners.get(index), event), "listener returned null");
        } catch (Throwable t) {
            log.warn("listener failed on {}; denying", event.getClass().getSimpleName(), t);
            result.complete(Decision.deny("listener error: " + t));
            return;
        }
        stage.whenCompleteAsync((d, t) -> {
            if (t != null) {
                log.warn("listener failed on {}; denying", event.getClass().getSimpleName(), t);
                result.complete(Decision.deny("listener error: " + t));
            } else if (d == null || !d.allowed()) {
                result.complete(d == null ? Decision.deny("listener returned no decision") : d);
            } else {
                ask(index + 1, event, call, lane, result);
            }
        }, lane);
    }

    private <E extends MediaEvent> void notify(E event, BiConsumer<MediaServerListener, E> call) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            lane(event).execute(() -> {
                for (MediaServerListener l : listeners) {
                    try {
                        call.accept(l, event);
                    } catch (Throwable t) {
                        log.warn("listener failed on {}", event.getClass().getSimpleName(), t);
                    }
                }
            });
        } catch (RuntimeException e) {
            log.debug("dropping {} during shutdown", event.getClass().getSimpleName());
        }
    }

    /** Stops the listener threads after the queued events ran (waits up to 5 s). */
    @Override
    public void close() {
        timer.shutdownNow();
        for (ExecutorService e : lanes) {
            e.shutdown();
        }
        for (ExecutorService e : lanes) {
            try {
                e.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Returns the number of listener lanes, for tests. */
    int laneCount() {
        return lanes.length;
    }

}

package io.livehub.push.internal;

import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamHub;
import io.livehub.media.StreamKey;
import io.livehub.push.DuplicatePushTaskException;
import io.livehub.push.ForwardRule;
import io.livehub.push.PushConfig;
import io.livehub.push.PushState;
import io.livehub.push.PushTaskEvent;
import io.livehub.push.PushTaskInfo;
import io.livehub.push.PushTaskListener;
import io.livehub.push.PushTaskSpec;
import io.livehub.session.ClientSessions;
import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the push tasks of one server: starts, stops, lists them, applies the forward rules,
 * and hands state changes to the listeners on a thread of its own.
 *
 * <p>Thread-safety: every public method may be called from any thread and returns without
 * waiting for the network.
 */
public final class PushEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PushEngine.class);

    private final PushConfig config;
    private final StreamHub hub;
    private final EventLoopGroup group;
    private final DestinationFactory destinations;
    private final List<PushTaskListener> listeners;
    private final ConcurrentHashMap<String, PushTask> tasks = new ConcurrentHashMap<>();
    /** The tasks a forward rule made, removed again when their stream ends. */
    private final Set<String> forwarded = ConcurrentHashMap.newKeySet();
    private final ExecutorService events;
    private final ClientSessions sessions;
    private final ScheduledFuture<?> forwardScan;
    private final Set<PushTask> stopping = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private CompletableFuture<Void> shutdown;

    /**
     * @param group        the event loops the tasks and their connections run on
     * @param destinations makes each connection
     * @param listeners    told about every state change, in order, on the engine's own thread
     */
    public PushEngine(PushConfig config, StreamHub hub, EventLoopGroup group, DestinationFactory destinations,
                      List<PushTaskListener> listeners) {
        this(config, hub, group, destinations, listeners, null);
    }

    /**
     * @param sessions  the server's client sessions: every task is one (protocol {@code push}),
     *                  listed while it runs; null to run tasks without sessions (tests)
     */
    public PushEngine(PushConfig config, StreamHub hub, EventLoopGroup group, DestinationFactory destinations,
                      List<PushTaskListener> listeners, ClientSessions sessions) {
        this.sessions = sessions;
        this.config = Objects.requireNonNull(config, "config");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.group = Objects.requireNonNull(group, "group");
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.listeners = List.copyOf(listeners);
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "livehub-push-events");
            t.setDaemon(true);
            return t;
        });
        long every = config.forwardScanInterval().toNanos();
        this.forwardScan = config.forwardRules().isEmpty() ? null
                : group.next().scheduleWithFixedDelay(this::scanForwardRules, every, every, TimeUnit.NANOSECONDS);
    }

    public PushConfig config() {
        return config;
    }

    /**
     * Starts a task; it is {@code ready} until its stream is live.
     *
     * @return the task as it is now
     * @throws DuplicatePushTaskException when a task has the same id
     * @throws IllegalStateException      when the engine is closed or has {@link PushConfig#maxTasks()} tasks
     */
    public PushTaskInfo start(PushTaskSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (closed) {
            throw new IllegalStateException("the push module is stopped");
        }
        if (tasks.size() >= config.maxTasks()) {
            throw new IllegalStateException("too many push tasks (" + config.maxTasks() + ")");
        }
        PushTask[] made = new PushTask[1];
        io.netty.channel.EventLoop loop = group.next();
        PushSession session = new PushSession(hub, spec.stream(), sessions, loop,
                () -> made[0].info().totalSentBytes(), () -> {
                    // A kick from the management API ends the task, as it ends any client.
                    if (tasks.get(spec.id()) == made[0]) {
                        stop(spec.id());
                    }
                });
        PushTask task = new PushTask(spec, config, loop, destinations, session, this::changed);
        made[0] = task;
        if (tasks.putIfAbsent(spec.id(), task) != null) {
            throw new DuplicatePushTaskException(spec.id());
        }
        log.info("push {}: created for {}", spec.id(), spec);
        task.start();
        return task.info();
    }

    /**
     * Stops and removes a task; it closes its connection in the background and ends in
     * {@code stopped}. Its id may be used again at once.
     *
     * @return the task as it was when asked to stop, or empty when there is none
     */
    public Optional<PushTaskInfo> stop(String id) {
        PushTask task = id == null ? null : tasks.remove(id);
        if (task == null) {
            return Optional.empty();
        }
        PushTaskInfo info = task.info();
        stopping.add(task);
        task.stopped().whenComplete((v, t) -> stopping.remove(task));
        task.stop();
        return Optional.of(info);
    }

    /** Returns the task with this id. */
    public Optional<PushTaskInfo> get(String id) {
        PushTask t = id == null ? null : tasks.get(id);
        return t == null ? Optional.empty() : Optional.of(t.info());
    }

    /** Returns every task, by creation time. */
    public List<PushTaskInfo> list() {
        List<PushTaskInfo> out = new ArrayList<>();
        for (PushTask t : tasks.values()) {
            out.add(t.info());
        }
        out.sort(Comparator.comparing(PushTaskInfo::createdTime).thenComparing(PushTaskInfo::id));
        return out;
    }

    private void changed(PushTask.StateChange c) {
        if (listeners.isEmpty()) {
            return;
        }
        PushTaskEvent e = new PushTaskEvent(c.info(), c.previous(), Instant.now());
        try {
            events.execute(() -> {
                for (PushTaskListener l : listeners) {
                    try {
                        l.onStateChange(e);
                    } catch (RuntimeException ex) {
                        log.warn("push listener failed on {}", e, ex);
                    }
                }
            });
        } catch (RejectedExecutionException ex) {
            // Closed: the last events of shutdown are not delivered.
        }
    }

    /** Makes a task per destination for each live stream a rule matches; removes the tasks of ended streams. */
    private void scanForwardRules() {
        try {
            for (LiveStream s : hub.streams()) {
                if (!s.isPublishing()) {
                    continue;
                }
                StreamKey key = s.key();
                for (ForwardRule rule : config.forwardRules()) {
                    if (!rule.matches(key)) {
                        continue;
                    }
                    for (int i = 0; i < rule.destinations().size(); i++) {
                        PushTaskSpec spec;
                        try {
                            spec = rule.spec(key, i);
                        } catch (IllegalArgumentException e) {
                            log.warn("forward rule of {}: cannot push {}: {}", rule.app(), key, e.getMessage());
                            continue;
                        }
                        if (!tasks.containsKey(spec.id())) {
                            try {
                                start(spec);
                                forwarded.add(spec.id());
                            } catch (IllegalStateException e) {
                                log.debug("forward of {} not started: {}", key, e.getMessage());
                            }
                        }
                    }
                }
            }
            for (PushTask t : tasks.values()) {
                if (forwarded.contains(t.spec().id()) && t.state() == PushState.READY) {
                    LiveStream s = hub.stream(t.spec().stream());
                    if (s == null || !s.isPublishing()) {
                        forwarded.remove(t.spec().id());
                        stop(t.spec().id());
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("forward rule scan failed", e);
        }
    }

    /**
     * Stops every task; the stage completes when all reached {@code stopped} (each closes its
     * connection within {@link PushTask#CLOSE_GRACE}) and their events were handed to the
     * listeners. Idempotent.
     */
    public CompletableFuture<Void> shutdown() {
        synchronized (this) {
            if (shutdown != null) {
                return shutdown;
            }
            closed = true;
            if (forwardScan != null) {
                forwardScan.cancel(false);
            }
            for (String id : List.copyOf(tasks.keySet())) {
                stop(id);
            }
            CompletableFuture<?>[] all = stopping.stream().map(PushTask::stopped).toArray(CompletableFuture[]::new);
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture.allOf(all).whenComplete((v, t) -> {
                // Queued after the tasks' last events, so those are delivered first.
                try {
                    events.execute(() -> done.complete(null));
                } catch (RejectedExecutionException e) {
                    done.complete(null);
                }
                events.shutdown();
            });
            shutdown = done;
            return done;
        }
    }

    /** Stops every task without waiting; see {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }
}

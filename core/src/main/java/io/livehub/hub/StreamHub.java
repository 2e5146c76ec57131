package io.livehub.hub;

import io.livehub.media.EgressForms;
import io.livehub.media.StreamKey;
import io.netty.util.concurrent.EventExecutor;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one place where publishers meet subscribers, whatever their protocols: every ingest
 * converts its wire format to {@link io.livehub.media.MediaFrame}s and calls
 * {@link Publication#publish}, every egress implements {@link StreamSubscriber}.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class StreamHub {

    private final HubConfig config;
    private final EgressForms egressForms = new EgressForms();
    private final ConcurrentHashMap<StreamKey, LiveStream> streams = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EventExecutor, SubscriberDrainer> drainers = new ConcurrentHashMap<>();
    private final LongAdder evictedWriteTimeout = new LongAdder();
    private final LongAdder evictedDrops = new LongAdder();
    private final LongAdder failedSubscribers = new LongAdder();

    public StreamHub(HubConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public HubConfig config() {
        return config;
    }

    /** Returns this hub's egress forms: the wire forms its frames are encoded in once and shared. */
    public EgressForms egressForms() {
        return egressForms;
    }

    /**
     * Starts publishing {@code key}. Subscribers already waiting for the stream start
     * receiving it.
     *
     * @param executor the publisher's event loop, on which it will call
     *                 {@link Publication#publish}
     * @throws StreamBusyException when another client publishes the stream
     */
    public Publication publish(StreamKey key, EventExecutor executor, String clientId) {
        LiveStream stream = acquire(key);
        Publication p = new Publication(this, stream, executor, clientId);
        if (!stream.claim(p)) {
            release(stream);
            throw new StreamBusyException(key);
        }
        p.start();
        return p;
    }

    /**
     * Subscribes to {@code key}. When the stream is live the subscriber starts at the cached
     * keyframe at once; otherwise it waits until a publisher arrives.
     */
    public Subscription subscribe(StreamKey key, StreamSubscriber subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        LiveStream stream = acquire(key);
        Subscription s = new Subscription(stream, subscriber, config, drainer(subscriber.executor()));
        stream.join(s);
        return s;
    }

    /** Returns the stream, or null when nobody publishes or waits for it. */
    public LiveStream stream(StreamKey key) {
        return streams.get(key);
    }

    /** Returns a snapshot of the known streams (live or with waiting subscribers). */
    public Collection<LiveStream> streams() {
        return List.copyOf(streams.values());
    }

    /**
     * Returns how many subscribers were closed because they took no frame for
     * {@link HubConfig#writeTimeout()} while frames were pending (players that stopped reading).
     */
    public long evictedByWriteTimeout() {
        return evictedWriteTimeout.sum();
    }

    /** Returns how many subscribers were closed for dropping to a keyframe too often; see {@link HubConfig#maxDropEpisodes()}. */
    public long evictedByDrops() {
        return evictedDrops.sum();
    }

    /** Returns how many subscribers were closed because one of their callbacks threw. */
    public long failedSubscribers() {
        return failedSubscribers.sum();
    }

    void countEviction(Subscription.Eviction why) {
        switch (why) {
            case WRITE_TIMEOUT:
                evictedWriteTimeout.increment();
                break;
            case DROPS:
                evictedDrops.increment();
                break;
            default:
                failedSubscribers.increment();
                break;
        }
    }

    /** Returns the one drainer of {@code executor}, made on first use and forgotten when it terminates. */
    private SubscriberDrainer drainer(EventExecutor executor) {
        Objects.requireNonNull(executor, "executor");
        SubscriberDrainer d = drainers.get(executor);
        if (d != null) {
            return d;
        }
        SubscriberDrainer made = new SubscriberDrainer(executor);
        d = drainers.putIfAbsent(executor, made);
        if (d != null) {
            return d;
        }
        if (!executor.isShuttingDown()) {
            executor.terminationFuture().addListener(f -> drainers.remove(executor, made));
        }
        return made;
    }

    private LiveStream acquire(StreamKey key) {
        return streams.compute(key, (k, cur) -> {
            LiveStream s = cur != null ? cur : new LiveStream(this, k, config);
            s.references++;
            return s;
        });
    }

    void release(LiveStream stream) {
        streams.computeIfPresent(stream.key(), (k, cur) -> {
            if (cur != stream) {
                return cur;
            }
            cur.references--;
            return cur.isIdle() ? null : cur;
        });
    }
}

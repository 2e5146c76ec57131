package io.livehub.session;

import io.livehub.event.EventDispatcher;
import io.livehub.hub.StreamHub;
import io.livehub.spi.ClientRegistry;
import io.livehub.util.RateLimitedLog;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the {@link ClientSession}s of one server and keeps what they share: the hub, the event
 * dispatcher, the client registry, the vhosts, the client ids, and the counts of bad input per
 * protocol. A module gets it from {@link io.livehub.spi.ServerContext#sessions()}.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class ClientSessions {

    private static final Logger log = LoggerFactory.getLogger(ClientSessions.class);


    private final StreamHub hub;
    private final EventDispatcher events;
    private final ClientRegistry registry;
    private final VhostResolver vhosts;
    private final AtomicLong ids;
    private final ConcurrentHashMap<String, LongAdder> badInput = new ConcurrentHashMap<>();
    // Lines any client can cause are rate-limited per protocol and kind (ARCHITECTURE.md section 6):
    // at most one lifecycle line per second, one refusal or bad-input line per 10 s, the rest counted.
    private final RateLimitedLog lifecycleLog = new RateLimitedLog(log, Duration.ofSeconds(1));
    private final RateLimitedLog refusalLog = new RateLimitedLog(log, Duration.ofSeconds(10));
    private final AtomicLong open = new AtomicLong();
    // The sessions not closed yet and the traffic of those closed, for server-wide totals.
    private final Set<ClientSession> live = ConcurrentHashMap.newKeySet();
    private final LongAdder closedBytesIn = new LongAdder();
    private final LongAdder closedBytesOut = new LongAdder();

    /**
     * @param ids the server's client-id counter, shared with anything else that numbers clients
     */
    public ClientSessions(StreamHub hub, EventDispatcher events, ClientRegistry registry, VhostResolver vhosts,
                          AtomicLong ids) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.events = Objects.requireNonNull(events, "events");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.vhosts = Objects.requireNonNull(vhosts, "vhosts");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /**
     * Opens a session for a client that just arrived. Nothing is fired and nothing is listed
     * until it connects (explicitly, or through its first publish or play).
     *
     * @param protocol      the protocol's short name ({@code rtmp}, {@code rtmps}, {@code http-flv},
     *                      {@code hls}, {@code srt}, {@code webrtc}, {@code record}, {@code push},
     *                      {@code file})
     * @param remoteAddress the peer's address, or null when there is none (a recording)
     * @param executor      the client's event loop: the session's steps run there and its stages
     *                      complete there
     */
    public ClientSession open(String protocol, InetSocketAddress remoteAddress, EventExecutor executor) {
        open.incrementAndGet();
        ClientSession s = new ClientSession(this, Long.toString(ids.incrementAndGet()), protocol, remoteAddress,
                executor);
        live.add(s);
        return s;
    }

    /** Returns the number of sessions opened and not yet closed. */
    public long openCount() {
        return open.get();
    }

    /**
     * Returns the bytes received from every client since the server started, closed sessions
     * included. A session closing while this sums may be missed or counted twice for that one
     * call; callers that expose it as a counter keep the largest value seen.
     */
    public long bytesIn() {
        long n = closedBytesIn.sum();
        for (ClientSession s : live) {
            n += s.bytesIn();
        }
        return n;
    }

    /** Returns the bytes sent to every client since the server started; see {@link #bytesIn()}. */
    public long bytesOut() {
        long n = closedBytesOut.sum();
        for (ClientSession s : live) {
            n += s.bytesOut();
        }
        return n;
    }

    /** Returns how many times clients of {@code protocol} sent bad input. */
    public long badInputCount(String protocol) {
        LongAdder a = badInput.get(protocol);
        return a == null ? 0 : a.sum();
    }

    /** Returns the bad-input counts by protocol, sorted by protocol. */
    public Map<String, Long> badInputCounts() {
        Map<String, Long> m = new TreeMap<>();
        badInput.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public VhostResolver vhosts() {
        return vhosts;
    }

    StreamHub hub() {
        return hub;
    }

    EventDispatcher events() {
        return events;
    }

    ClientRegistry registry() {
        return registry;
    }

    void closed(ClientSession session) {
        open.decrementAndGet();
        closedBytesIn.add(session.bytesIn());
        closedBytesOut.add(session.bytesOut());
        live.remove(session);
    }

    /** Returns the log for the lines of a client's lifecycle (publishing, playing, stopped). */
    RateLimitedLog lifecycleLog() {
        return lifecycleLog;
    }

    /** Returns the log for refusals (denied decisions, busy streams). */
    RateLimitedLog refusalLog() {
        return refusalLog;
    }

    void badInput(ClientSession s, String reason) {
        badInput.computeIfAbsent(s.protocol(), p -> new LongAdder()).increment();
        refusalLog.warn(s.protocol() + " bad input", "closing {} client {} from {}: {}", s.protocol(), s.id(),
                s.info().ip(), reason);
    }

}

package io.livehub.hls.internal;

import io.livehub.hls.HlsSessionLimits;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.livehub.session.ConnectRequest;
import io.livehub.spi.ServerContext;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the play sessions of HLS viewers, like SRS's {@code hls_ctx}: each viewer is one
 * {@link ClientSession} (protocol {@code hls}) that connects and {@linkplain ClientSession#watch
 * watches} its stream (the muxer is the stream's one hub subscriber), so the listeners see
 * connect, play, stop and close, and the management API lists the viewer while it plays. A viewer
 * whose play was allowed gets a random id that its URLs carry as {@code ?hls_ctx=<id>}; each
 * request with the id keeps it alive, and a viewer without requests for
 * {@link io.livehub.hls.HlsConfig#playSessionTimeout()} is closed ({@code onStop},
 * {@code onClose}). This is the only class of the module that talks to the session API.
 *
 * <p>What sessions may hold is bounded by {@link HlsSessionLimits}: a slot is taken before the
 * decision is asked (so requests waiting for a slow hook count too) and given back on a denial;
 * a refused request keeps nothing.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class HlsSessions {

    private static final Logger log = LoggerFactory.getLogger(HlsSessions.class);

    /** The query parameter that names a session (SRS's name). */
    public static final String PARAM = "hls_ctx";
    /** At most one line about refused viewers per this many milliseconds; the rest are counted. */
    private static final long REFUSAL_LOG_INTERVAL_MS = 10_000;
    /** The address key of a viewer without an IP address (a test channel). */
    private static final Object NO_ADDRESS = new Object();

    /** Why a new viewer was not admitted, and what to answer. */
    public record Refusal(int status, long retryAfterSeconds, String reason) {
    }

    /** One viewer: its client session and the stream it plays. */
    public static final class Viewer {
        private final String id;
        private final ClientSession session;
        private final StreamKey key;
        private final Object address;
        private volatile long lastSeenNanos = System.nanoTime();

        private Viewer(String id, ClientSession session, StreamKey key, Object address) {
            this.id = id;
            this.session = session;
            this.key = key;
            this.address = address;
        }

        /** Returns the {@code hls_ctx} id. */
        public String id() {
            return id;
        }

        /** Returns the viewer's client id. */
        public String clientId() {
            return session.id();
        }

        /**
         * Counts {@code n} bytes sent to the viewer and keeps it alive: a request that waited
         * (for the first segment, a blocking reload) counts from its answer.
         */
        public void sent(long n) {
            session.addBytesOut(n);
            lastSeenNanos = System.nanoTime();
        }
    }

    /** New-session tokens and open sessions of one address; guarded by the {@link HlsSessions} lock. */
    private static final class Address {
        int active;
        double tokens;
        long refilledNanos;
    }

    private final ServerContext server;
    private final Duration timeout;
    private final HlsSessionLimits limits;
    private final int maxSessions;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Viewer> viewers = new ConcurrentHashMap<>();
    // Guarded by this.
    private final Map<Object, Address> addresses = new java.util.HashMap<>();
    private int active;
    private long refusalLoggedMillis = Long.MIN_VALUE;
    private long refusalsUnlogged;
    private final LongAdder refused = new LongAdder();
    private final java.util.function.LongSupplier nanoClock;

    public HlsSessions(ServerContext server, Duration timeout, HlsSessionLimits limits) {
        this(server, timeout, limits, System::nanoTime);
    }

    /** Makes the sessions with {@code nanoClock} as the clock of the per-address rate. */
    HlsSessions(ServerContext server, Duration timeout, HlsSessionLimits limits, java.util.function.LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.server = server;
        this.timeout = timeout;
        this.limits = limits;
        this.maxSessions = limits.maxSessions();
    }

    /** Returns the live viewer {@code id} of {@code key} and keeps it alive, or null. */
    public Viewer touch(String id, StreamKey key) {
        Viewer v = id == null ? null : viewers.get(id);
        if (v == null || !v.key.equals(key)) {
            return null;
        }
        v.lastSeenNanos = System.nanoTime();
        return v;
    }

    /** Keeps viewer {@code id} alive, whatever stream it plays (segment and part requests); returns it or null. */
    public Viewer touch(String id) {
        Viewer v = id == null ? null : viewers.get(id);
        if (v != null) {
            v.lastSeenNanos = System.nanoTime();
        }
        return v;
    }

    /**
     * Checks what a new viewer sent against the size limits; returns null when it may be asked,
     * else a {@code 400} refusal. The {@code Referer} is not checked: it is cut.
     */
    public Refusal checkRequest(String query, String host) {
        if (query.length() > limits.maxQueryLength()) {
            return refuse(null, new Refusal(400, 0, "the query is longer than " + limits.maxQueryLength()
                    + " characters"));
        }
        if (host.length() > limits.maxHostLength()) {
            return refuse(null, new Refusal(400, 0, "the Host header is longer than " + limits.maxHostLength()
                    + " characters"));
        }
        return null;
    }

    /**
     * Starts a new viewer of {@code key} from {@code remote}: takes a slot (or returns a refused
     * stage), opens its client session on {@code executor}, connects it and asks to play. The
     * stage completes on {@code executor} with the viewer, which is then known by its id;
     * exceptionally with {@link io.livehub.session.SessionDeniedException} on a denial or with
     * {@link RefusedException} when no slot was free.
     *
     * @param tcUrl   {@code http://<host>/<app>}, its host at most {@link HlsSessionLimits#maxHostLength()}
     * @param referer the {@code Referer}, cut here to {@link HlsSessionLimits#maxRefererLength()}
     * @param params  the viewer's own query parameters (without {@code hls_ctx} and directives)
     * @param oldId   the {@code hls_ctx} the request named, which is not live (expired, or from
     *                before a restart), or null. A well-formed one not in use is taken again, so a
     *                player that keeps reloading its redirected URL (ffmpeg does) after its session
     *                ended starts one new session rather than one per reload
     */
    public CompletionStage<Viewer> start(StreamKey key, InetSocketAddress remote, EventExecutor executor,
                                         String tcUrl, String referer, Map<String, String> params, String oldId) {
        Object address = remote == null || remote.getAddress() == null ? NO_ADDRESS : remote.getAddress();
        Refusal r = admit(address);
        if (r != null) {
            return CompletableFuture.failedFuture(new RefusedException(r));
        }
        String page = referer.length() > limits.maxRefererLength()
                ? referer.substring(0, limits.maxRefererLength()) : referer;
        ClientSession session = server.sessions().open("hls", remote, executor);
        Viewer v = new Viewer(wellFormed(oldId) && !viewers.containsKey(oldId) ? oldId : newId(), session, key,
                address);
        // No transport to close: a kicked viewer's id is forgotten, its next request is a new viewer.
        session.onKick(() -> end(v));
        CompletableFuture<Viewer> result = new CompletableFuture<>();
        session.connect(new ConnectRequest(tcUrl, page, key.app(), params))
                .thenCompose(s -> s.watch(key, params))
                .whenComplete((s, t) -> {
                    if (t != null) {
                        release(address);
                        session.close();
                        result.completeExceptionally(t);
                        return;
                    }
                    Viewer other = viewers.putIfAbsent(v.id, v);
                    if (other != null) {
                        // Two requests took the same old id at once: the first one wins, this one ends.
                        release(address);
                        session.close();
                        result.complete(other);
                        return;
                    }
                    log.debug("HLS client {} from {} playing {} (session {})", session.id(), session.info().ip(),
                            key, v.id);
                    result.complete(v);
                });
        return result;
    }

    /** Ends a viewer that was allowed but will never hear of its id (its connection closed). */
    public void abandon(Viewer v) {
        end(v);
    }

    /** A new viewer refused by a limit. */
    public static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.reason(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** Takes a slot for a new viewer from {@code address}, or returns why not. */
    synchronized Refusal admit(Object address) {
        long now = nanoClock.getAsLong();
        Address a = addresses.get(address);
        if (a == null) {
            if (addresses.size() >= maxSessions) {
                return refuse(address, new Refusal(503, retryAfter(), "too many addresses with HLS sessions"));
            }
            a = new Address();
            a.tokens = limits.newSessionsPerSecondPerAddress();
            a.refilledNanos = now;
            addresses.put(address, a);
        }
        double rate = limits.newSessionsPerSecondPerAddress();
        a.tokens = Math.min(rate, a.tokens + (now - a.refilledNanos) / 1e9 * rate);
        a.refilledNanos = now;
        if (active >= maxSessions) {
            return refuse(address, new Refusal(503, retryAfter(), "the HLS session budget ("
                    + maxSessions + " sessions) is used up"));
        }
        if (a.active >= limits.maxSessionsPerAddress()) {
            return refuse(address, new Refusal(429, retryAfter(), "the address has "
                    + limits.maxSessionsPerAddress() + " HLS sessions"));
        }
        if (a.tokens < 1) {
            return refuse(address, new Refusal(429, 1, "the address starts more than "
                    + limits.newSessionsPerSecondPerAddress() + " HLS sessions a second"));
        }
        a.tokens -= 1;
        a.active++;
        active++;
        return null;
    }

    /** Gives back the slot of a viewer from {@code address} that was denied or ended. */
    synchronized void release(Object address) {
        Address a = addresses.get(address);
        if (a != null && a.active > 0) {
            a.active--;
            active--;
        }
    }

    private long retryAfter() {
        return Math.max(1, Math.min(30, timeout.toSeconds()));
    }

    /** Counts a refusal and logs it, at most one line per interval (the rest are counted in the next line). */
    private Refusal refuse(Object address, Refusal r) {
        refused.increment();
        long suppressed;
        synchronized (this) {
            long now = System.nanoTime() / 1_000_000;
            if (refusalLoggedMillis != Long.MIN_VALUE && now - refusalLoggedMillis < REFUSAL_LOG_INTERVAL_MS) {
                refusalsUnlogged++;
                return r;
            }
            refusalLoggedMillis = now;
            suppressed = refusalsUnlogged;
            refusalsUnlogged = 0;
        }
        log.warn("refusing a new HLS viewer{} with {}: {}{}",
                address instanceof InetAddress ia ? " from " + ia.getHostAddress() : "", r.status(), r.reason(),
                suppressed > 0 ? " (" + suppressed + " more refused since the last such line)" : "");
        return r;
    }

    private void end(Viewer v) {
        if (viewers.remove(v.id, v)) {
            release(v.address);
            log.debug("HLS client {} stopped playing {} (session {})", v.session.id(), v.key, v.id);
        }
        v.session.close();
    }

    /** Returns whether {@code id} has the form of the ids made here: 24 lower-case hex digits. */
    static boolean wellFormed(String id) {
        if (id == null || id.length() != 24) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private String newId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Ends the viewers idle for longer than the timeout, and forgets quiet addresses. Call periodically. */
    public void sweep() {
        long now = System.nanoTime();
        for (Viewer v : viewers.values()) {
            if (now - v.lastSeenNanos > timeout.toNanos()) {
                end(v);
            }
        }
        sweepAddresses();
    }

    /** Forgets the addresses without sessions whose tokens have refilled. */
    synchronized void sweepAddresses() {
        long now = nanoClock.getAsLong();
        // An address without sessions whose tokens have refilled holds nothing worth keeping.
        addresses.values().removeIf(a -> a.active == 0
                && a.tokens + (now - a.refilledNanos) / 1e9 * limits.newSessionsPerSecondPerAddress()
                >= limits.newSessionsPerSecondPerAddress());
    }

    /** Ends every viewer. */
    public void closeAll() {
        for (Viewer v : viewers.values()) {
            end(v);
        }
    }

    /** Returns how many addresses have sessions or recently started one. */
    synchronized int addressCount() {
        return addresses.size();
    }

    /** Returns how many viewers are open. */
    public int size() {
        return viewers.size();
    }

    /** Returns how many new viewers were refused by a limit. */
    public long refused() {
        return refused.sum();
    }

    /**
     * Returns the redirect target for an allowed viewer: {@code path} with the query it sent
     * (without an old {@code hls_ctx}) and {@code hls_ctx=id}.
     */
    public static String location(String path, String query, String id) {
        StringBuilder b = new StringBuilder(path.length() + query.length() + 40).append(path).append('?');
        for (String pair : query.split("&")) {
            if (pair.isEmpty() || pair.equals(PARAM) || pair.startsWith(PARAM + "=")) {
                continue;
            }
            b.append(pair).append('&');
        }
        return b.append(PARAM).append('=').append(id).toString();
    }

    /**
     * Returns {@code text} with {@code ?hls_ctx=id} (or {@code &hls_ctx=id}) added to every URI:
     * the URI lines and the {@code URI="..."} attributes (EXT-X-MAP, EXT-X-PART,
     * EXT-X-PRELOAD-HINT) of a playlist.
     */
    public static byte[] withSession(byte[] text, String id) {
        String t = new String(text, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(t.length() + 64);
        int at = 0;
        while (at < t.length()) {
            int nl = t.indexOf('\n', at);
            int end = nl < 0 ? t.length() : nl;
            String line = t.substring(at, end);
            if (!line.isEmpty() && line.charAt(0) != '#') {
                b.append(line).append(line.indexOf('?') < 0 ? '?' : '&').append(PARAM).append('=').append(id);
            } else {
                int u = line.indexOf("URI=\"");
                if (u >= 0) {
                    int close = line.indexOf('"', u + 5);
                    String uri = line.substring(u + 5, close);
                    b.append(line, 0, close).append(uri.indexOf('?') < 0 ? '?' : '&').append(PARAM).append('=')
                            .append(id).append(line, close, line.length());
                } else {
                    b.append(line);
                }
            }
            if (nl >= 0) {
                b.append('\n');
            }
            at = end + 1;
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}

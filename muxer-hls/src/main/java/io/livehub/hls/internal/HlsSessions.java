package io.livehub.hls.internal;

import io.livehub.event.ClientInfo;
import io.livehub.event.StopEvent;
import io.livehub.media.StreamKey;
import io.livehub.spi.ServerContext;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the play sessions of HLS viewers, like SRS's {@code hls_ctx}: a viewer whose play was
 * allowed gets a random session id that the URIs of its playlists carry as
 * {@code ?hls_ctx=<id>}; each request with the id keeps the session alive, and a session
 * without requests for {@link io.livehub.hls.HlsConfig#playSessionTimeout()} ends with
 * {@code onStop}.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class HlsSessions {

    private static final Logger log = LoggerFactory.getLogger(HlsSessions.class);

    /** The query parameter that names a session (SRS's name). */
    public static final String PARAM = "hls_ctx";
    /** At most this many sessions; beyond, new viewers are refused rather than memory grown. */
    static final int MAX_SESSIONS = 100_000;

    /** One viewer. */
    public static final class Session {
        final String id;
        final StreamKey key;
        final ClientInfo client;
        final Map<String, String> params;
        volatile long lastSeenNanos = System.nanoTime();

        Session(String id, StreamKey key, ClientInfo client, Map<String, String> params) {
            this.id = id;
            this.key = key;
            this.client = client;
            this.params = params;
        }

        /** Returns the session id. */
        public String id() {
            return id;
        }

        /** Returns the viewer's client id. */
        public String clientId() {
            return client.clientId();
        }
    }

    private final ServerContext server;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    public HlsSessions(ServerContext server, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
    }

    /** Returns the live session {@code id} of {@code key} and keeps it alive, or null. */
    public Session touch(String id, StreamKey key) {
        if (id == null) {
            return null;
        }
        Session s = sessions.get(id);
        if (s == null || !s.key.equals(key)) {
            return null;
        }
        s.lastSeenNanos = System.nanoTime();
        return s;
    }

    /** Keeps session {@code id} alive, whatever stream it plays (segment and part requests). */
    public void touch(String id) {
        Session s = id == null ? null : sessions.get(id);
        if (s != null) {
            s.lastSeenNanos = System.nanoTime();
        }
    }

    /** Returns whether another session may be opened. */
    public boolean hasRoom() {
        return sessions.size() < MAX_SESSIONS;
    }

    /** Opens a session for a viewer whose play was allowed. */
    public Session open(StreamKey key, ClientInfo client, Map<String, String> params) {
        byte[] b = new byte[12];
        random.nextBytes(b);
        Session s = new Session(HexFormat.of().formatHex(b), key, client, params);
        sessions.put(s.id, s);
        log.info("HLS client {} from {} playing {} (session {})", client.clientId(), client.ip(), key.path(), s.id);
        return s;
    }

    /** Ends the sessions idle for longer than the timeout, with {@code onStop}. Call periodically. */
    public void sweep() {
        long now = System.nanoTime();
        for (Session s : sessions.values()) {
            if (now - s.lastSeenNanos > timeout.toNanos() && sessions.remove(s.id, s)) {
                stop(s);
            }
        }
    }

    /** Ends every session, with {@code onStop}. */
    public void closeAll() {
        for (Session s : sessions.values()) {
            if (sessions.remove(s.id, s)) {
                stop(s);
            }
        }
    }

    /** Returns how many sessions are open. */
    public int size() {
        return sessions.size();
    }

    private void stop(Session s) {
        log.info("HLS client {} stopped playing {} (session {})", s.client.clientId(), s.key.path(), s.id);
        server.events().stop(new StopEvent(s.client, s.key, s.params, Instant.now()));
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

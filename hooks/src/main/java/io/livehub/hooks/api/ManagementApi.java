package io.livehub.hooks.api;

import io.livehub.MediaServer;
import io.livehub.hooks.SecretAuthorizer;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.livehub.session.ClientSession;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Looks into and steers a running {@link MediaServer}: its streams (codecs, size, bitrates,
 * publisher, players, uptime), its clients (and kicking one), the publish secret of a
 * {@link SecretAuthorizer}, the version and a summary of the server and its JVM.
 * {@link ManagementHttpService} serves the same over HTTP with SRS's shapes.
 *
 * <pre>{@code
 * ManagementApi api = new ManagementApi(server, secrets);
 * for (StreamStats s : api.streams()) {
 *     System.out.println(s.key() + " " + s.kbpsIn() + " kbps, " + s.subscribers() + " players");
 * }
 * api.kick("42");
 * }</pre>
 *
 * <p>Every look is a fresh snapshot; nothing is cached but the byte counters sampled for the
 * 30-second bitrates, which are taken at most once a second per stream when the API is asked.
 *
 * <p>Thread-safety: all methods may be called from any thread and never block on I/O, so they
 * may run on an event loop.
 */
public final class ManagementApi {

    /** The window of the sampled bitrates, as SRS's {@code kbps.recv_30s}. */
    public static final Duration BITRATE_WINDOW = Duration.ofSeconds(30);

    private static final long MIN_SPAN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MediaServer server;
    private final SecretAuthorizer secrets;
    private final ServerVersion version = ServerVersion.parse(MediaServer.VERSION);
    private final BitrateMeter meter = new BitrateMeter(BITRATE_WINDOW.toNanos(), MIN_SPAN_NANOS);

    /** Creates the API for {@code server} without secret management. */
    public ManagementApi(MediaServer server) {
        this(server, null);
    }

    /**
     * Creates the API for {@code server}; {@code secrets} (may be null) is the authorizer whose
     * publish secret {@link #secret()} reads and {@link #secret(String)} changes.
     */
    public ManagementApi(MediaServer server, SecretAuthorizer secrets) {
        this.server = Objects.requireNonNull(server, "server");
        this.secrets = secrets;
    }

    public MediaServer server() {
        return server;
    }

    /** Returns the server version. */
    /** Returns the server's id ({@link MediaServer#serverId()}), the {@code server} field of every answer. */
    public String serverId() {
        return server.serverId();
    }

    public ServerVersion version() {
        return version;
    }

    /** Returns the API id of a stream: {@link StreamKey#id()}, the same id the hooks send. */
    public static String streamId(StreamKey key) {
        return key.id();
    }

    /** Returns every stream the hub knows (live, or with players waiting), sorted by key. */
    public List<StreamStats> streams() {
        Map<StreamKey, List<ClientSession>> byStream = new HashMap<>();
        for (ClientSession c : server.clients().list()) {
            if (c.stream() != null) {
                byStream.computeIfAbsent(c.stream(), k -> new ArrayList<>()).add(c);
            }
        }
        long nanos = System.nanoTime();
        Instant now = Instant.now();
        List<StreamStats> out = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (LiveStream s : server.hub().streams()) {
            StreamStats st = stats(s, byStream.getOrDefault(s.key(), List.of()), nanos, now);
            out.add(st);
            ids.add(st.id());
        }
        meter.retain(ids);
        out.sort(Comparator.comparing(st -> st.key().toString()));
        return out;
    }

    /** Returns the stream with API id {@code id}. */
    public Optional<StreamStats> stream(String id) {
        return streams().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Returns the stream with {@code key}. */
    public Optional<StreamStats> stream(StreamKey key) {
        return stream(streamId(key));
    }

    private StreamStats stats(LiveStream s, List<ClientSession> clients, long nanos, Instant now) {
        String publisherId = s.publisherId();
        String tcUrl = "";
        long bytesOut = 0;
        long outAverage = 0;
        for (ClientSession c : clients) {
            if (c.role() == ClientSession.Role.PUBLISHING && c.id().equals(publisherId)) {
                tcUrl = c.info().tcUrl();
            } else if (c.role() == ClientSession.Role.PLAYING) {
                long out = c.bytesOut();
                bytesOut += out;
                outAverage += BitrateMeter.kbps(out, Duration.between(c.connectedAt(), now).toNanos());
            }
        }
        Instant publishedAt = s.isPublishing() ? s.publishedAt() : null;
        Duration uptime = publishedAt == null ? Duration.ZERO : Duration.between(publishedAt, now);
        if (uptime.isNegative()) {
            uptime = Duration.ZERO;
        }
        long bytesIn = s.bytesIn();
        String id = streamId(s.key());
        BitrateMeter.Rates r = meter.sample(id, nanos, bytesIn, bytesOut);
        long kbpsIn = r != null ? r.kbpsIn() : BitrateMeter.kbps(bytesIn, uptime.toNanos());
        long kbpsOut = r != null ? r.kbpsOut() : outAverage;
        return new StreamStats(id, s.key(), s.isPublishing(), publisherId, tcUrl, publishedAt, uptime,
                s.subscriberCount(), s.framesIn(), bytesIn, bytesOut, kbpsIn, kbpsOut,
                video(s.videoTrack()), audio(s.audioTrack()));
    }

    private static StreamStats.Video video(Track t) {
        if (t == null) {
            return null;
        }
        return new StreamStats.Video(CodecProfiles.codecName(t.codec()), CodecProfiles.videoProfile(t),
                CodecProfiles.videoLevel(t), t.width(), t.height());
    }

    private static StreamStats.Audio audio(Track t) {
        if (t == null) {
            return null;
        }
        return new StreamStats.Audio(CodecProfiles.codecName(t.codec()), CodecProfiles.audioProfile(t),
                t.sampleRate(), t.channels());
    }

    /** Returns the open client connections, sorted by connection time. */
    public List<ClientStats> clients() {
        Instant now = Instant.now();
        List<ClientStats> out = new ArrayList<>();
        for (ClientSession c : server.clients().list()) {
            out.add(stats(c, now));
        }
        out.sort(Comparator.comparing(ClientStats::connectedAt).thenComparing(ClientStats::id));
        return out;
    }

    /** Returns the client with {@code id}. */
    public Optional<ClientStats> client(String id) {
        return server.clients().find(id).map(c -> stats(c, Instant.now()));
    }

    private static ClientStats stats(ClientSession c, Instant now) {
        Duration alive = Duration.between(c.connectedAt(), now);
        if (alive.isNegative()) {
            alive = Duration.ZERO;
        }
        long in = c.bytesIn();
        long out = c.bytesOut();
        StreamKey key = c.stream();
        int port = c.info().remoteAddress() == null ? 0 : c.info().remoteAddress().getPort();
        return new ClientStats(c.info().clientId(), c.info().protocol(), c.info().ip(), port, c.role(), key,
                key == null ? null : streamId(key), c.info().tcUrl(), c.info().pageUrl(), c.connectedAt(), alive,
                in, out, BitrateMeter.kbps(in, alive.toNanos()), BitrateMeter.kbps(out, alive.toNanos()));
    }

    /**
     * Closes the connection of client {@code id}; its close, unpublish or stop events follow.
     *
     * @return false when no such client is connected
     */
    public boolean kick(String id) {
        return server.clients().kick(id);
    }

    /** Returns whether this API manages a {@link SecretAuthorizer}. */
    public boolean managesSecrets() {
        return secrets != null;
    }

    /**
     * Returns the publish secret, or null when publishing needs none.
     *
     * @throws IllegalStateException when this API was made without a {@link SecretAuthorizer}
     */
    public String secret() {
        return authorizer().secret();
    }

    /**
     * Replaces the publish secret for the next publish; null or empty lets anyone publish.
     * Streams already publishing go on.
     *
     * @throws IllegalStateException when this API was made without a {@link SecretAuthorizer}
     */
    public void secret(String secret) {
        authorizer().secret(secret);
    }

    /** Returns the play secret, or null when playing needs none; see {@link #secret()}. */
    public String playSecret() {
        return authorizer().playSecret();
    }

    /** Replaces the play secret; see {@link #secret(String)}. */
    public void playSecret(String secret) {
        authorizer().playSecret(secret);
    }

    private SecretAuthorizer authorizer() {
        if (secrets == null) {
            throw new IllegalStateException("this management API manages no secret");
        }
        return secrets;
    }

    /** Returns a summary of the server (uptime, ports, connections, streams) and its JVM. */
    public ServerSummary summary() {
        Collection<ClientSession> clients = server.clients().list();
        long in = 0;
        long out = 0;
        for (ClientSession c : clients) {
            in += c.bytesIn();
            out += c.bytesOut();
        }
        Collection<LiveStream> streams = server.hub().streams();
        int publishing = (int) streams.stream().filter(LiveStream::isPublishing).count();
        Instant startedAt = server.startedAt();
        Duration uptime = startedAt == null ? Duration.ZERO : Duration.between(startedAt, Instant.now());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        double cpu = -1;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            cpu = sun.getProcessCpuLoad();
        }
        return new ServerSummary(version, ProcessHandle.current().pid(), startedAt, uptime, server.ports(),
                clients.size(), streams.size(), publishing, in, out, heap.getUsed(), heap.getMax(), cpu,
                os.getSystemLoadAverage(), os.getAvailableProcessors());
    }
}

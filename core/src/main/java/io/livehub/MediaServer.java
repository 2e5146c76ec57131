package io.livehub;

import io.livehub.event.EventDispatcher;
import io.livehub.event.MediaServerListener;
import io.livehub.http.HealthHttpService;
import io.livehub.http.HttpEndpoint;
import io.livehub.http.HttpRoutes;
import io.livehub.http.HttpServerConfig;
import io.livehub.hub.HubConfig;
import io.livehub.hub.StreamHub;
import io.livehub.session.ClientSessions;
import io.livehub.session.VhostResolver;
import io.livehub.spi.ClientRegistry;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import io.livehub.spi.Transport;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorChooserFactory;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable live-streaming server: a {@link StreamHub}, shared event loops, a shared HTTP
 * endpoint and the {@link ServerModule}s (protocols) that plug into them.
 *
 * <pre>{@code
 * MediaServer server = MediaServer.builder()
 *         .module(RtmpModule.builder().port(1935).build())
 *         .listener(myListener)
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>The shared HTTP endpoint answers {@code /healthz} and {@code /readyz} for orchestrators
 * ({@link HealthHttpService}); {@link LifecycleListener}s hear the server start and stop, and
 * {@link #join()} waits until it stopped.
 *
 * <p>An {@link Error} on one of the server's threads (an out-of-memory error, say) ends the
 * process with status {@value FatalErrorHandler#EXIT_STATUS} after it is logged, so that a
 * supervisor restarts it; see {@link Builder#exitOnFatalError} and {@link FatalErrorHandler}.
 *
 * <p>Thread-safety: {@link #start()} and {@link #close()} may be called from any thread;
 * {@code close()} is idempotent and waits for a graceful stop.
 */
public final class MediaServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaServer.class);

    /**
     * The library version: the Maven project version from the jar's manifest
     * ({@code Implementation-Version}), or {@code "dev"} when the classes are not in a built jar.
     * Reported by the management API, {@code /metrics} and {@code --version}.
     */
    public static final String VERSION = BuildInfo.version(MediaServer.class);

    /** The git commit the jar was built from ({@code Livehub-Commit} in its manifest), or {@code "unknown"}. */
    public static final String COMMIT = BuildInfo.commit(MediaServer.class);

    private final List<ServerModule> modules;
    private final List<MediaServerListener> listeners;
    private final List<LifecycleListener> lifecycleListeners;
    private final boolean healthEndpoints;
    private final HttpServerConfig httpConfig;
    private final HubConfig hubConfig;
    private final Duration decisionTimeout;
    private final int workerThreads;
    private final boolean preferNative;
    private final Duration shutdownTimeout;
    private final String serverId;
    private final VhostResolver vhosts;
    private final FatalErrorHandler fatalErrors;

    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final HttpRoutes routes = new HttpRoutes();
    private final ClientRegistry clients = new ClientRegistry();
    private final AtomicLong clientIds = new AtomicLong();
    private final List<ServerModule> started = new ArrayList<>();
    private final Object lifecycle = new Object();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private StreamHub hub;
    private EventDispatcher events;
    private ClientSessions sessions;
    private Transport transport;
    private HttpEndpoint http;
    private State state = State.NEW;
    private volatile Instant startedAt;
    private volatile HealthHttpService.Status status = HealthHttpService.Status.STARTING;

    private enum State { NEW, STARTED, CLOSED }

    private MediaServer(Builder b) {
        this.modules = List.copyOf(b.modules);
        this.listeners = List.copyOf(b.listeners);
        this.lifecycleListeners = List.copyOf(b.lifecycleListeners);
        this.healthEndpoints = b.healthEndpoints;
        this.httpConfig = b.http;
        this.hubConfig = b.hub;
        this.decisionTimeout = b.decisionTimeout;
        this.workerThreads = b.workerThreads;
        this.preferNative = b.nativeTransport;
        this.shutdownTimeout = b.shutdownTimeout;
        this.serverId = b.serverId != null ? b.serverId : newServerId();
        this.vhosts = VhostResolver.of(b.vhosts);
        this.fatalErrors = new FatalErrorHandler(b.exitOnFatalError, b.fatalErrorCallback, b.halt);
        this.hub = new StreamHub(hubConfig);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the event loops, the HTTP endpoint and every module, in order, and returns this
     * server. When anything fails to start, everything started so far is stopped and released
     * before the exception is thrown.
     *
     * @throws IllegalStateException when the server was started or closed before
     * @throws Exception             what the failing module threw (a bind error, say)
     */
    public MediaServer start() throws Exception {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("server already " + state.name().toLowerCase());
            }
            state = State.STARTED;
            startedAt = Instant.now();
            fatalErrors.install();
            fire("starting", l -> l.starting(this));
            try {
                transport = newTransport();
                events = new EventDispatcher(listeners, decisionTimeout, 4);
                sessions = new ClientSessions(hub, events, clients, vhosts, clientIds);
                if (healthEndpoints) {
                    routes.add(new HealthHttpService(() -> status));
                }
                if (httpConfig.enabled()) {
                    http = new HttpEndpoint(httpConfig, routes);
                    try {
                        ports.put("http", http.start(transport));
                    } catch (Exception e) {
                        throw new java.io.IOException("http: cannot bind TCP " + httpConfig.host() + ":"
                                + httpConfig.port() + ": " + e.getMessage(), e);
                    }
                }
                ServerContext ctx = new Context();
                for (ServerModule m : modules) {
                    m.start(ctx);
                    started.add(m);
                }
                log.info("Livehub {} ({}) started: {} ({} transport)", VERSION, COMMIT, ports,
                        transport.nativeTransport() ? "epoll" : "NIO");
                status = HealthHttpService.Status.READY;
                fire("started", l -> l.started(this));
                return this;
            } catch (Exception | Error e) {
                log.error("server failed to start: {}", e.toString());
                status = HealthHttpService.Status.STOPPING;
                fire("stopping", l -> l.stopping(this));
                shutdown();
                state = State.CLOSED;
                fire("stopped", l -> l.stopped(this));
                terminated.countDown();
                throw e;
            }
        }
    }

    /**
     * Returns the port a module bound under {@code name} ({@code "rtmp"}, {@code "http"}, ...),
     * which tells the real port when 0 was configured.
     *
     * @throws IllegalArgumentException when nothing bound that name
     */
    public int port(String name) {
        Integer p = ports.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no port named '" + name + "'; bound: " + ports.keySet());
        }
        return p;
    }

    /** Returns every bound port by name. */
    public Map<String, Integer> ports() {
        return Collections.unmodifiableMap(ports);
    }

    /** Returns whether every module started and the server is not stopping: what {@code /readyz} says. */
    public boolean isReady() {
        return status == HealthHttpService.Status.READY;
    }

    /**
     * Waits until the server stopped ({@link #close()} returned, or a start failed).
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void join() throws InterruptedException {
        terminated.await();
    }

    /**
     * Waits at most {@code timeout} until the server stopped.
     *
     * @return true when it stopped, false when the time ran out
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Returns the configuration of the shared HTTP endpoint. */
    public HttpServerConfig httpConfig() {
        return httpConfig;
    }

    /** Returns when {@link #start()} was called, or null before. */
    public Instant startedAt() {
        return startedAt;
    }

    public StreamHub hub() {
        return hub;
    }

    /** Returns the open client connections: list them, find one, kick one. */
    public ClientRegistry clients() {
        return clients;
    }

    /** Returns the client sessions; null before {@link #start()}. */
    public ClientSessions sessions() {
        return sessions;
    }

    /**
     * Returns this server's id ({@code vid-} and 7 characters, or the one set with
     * {@link Builder#serverId}): SRS's {@code server_id}, the same in the management API and,
     * when the hooks are given it, in every callback.
     */
    public String serverId() {
        return serverId;
    }

    /** Returns a new server id: {@code vid-} and 7 random characters, as SRS makes its {@code server_id}. */
    public static String newServerId() {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder s = new StringBuilder("vid-");
        for (int i = 0; i < 7; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Returns the event dispatcher; null before {@link #start()}. */
    public EventDispatcher events() {
        return events;
    }

    /**
     * Returns the server's event loops and channel types, for clients (an RTMP client, a push
     * task) that should share them; null before {@link #start()}.
     */
    public Transport transport() {
        return transport;
    }

    /** Returns the shared HTTP routes, to which an application may add its own services. */
    public HttpRoutes httpRoutes() {
        return routes;
    }

    public List<ServerModule> modules() {
        return modules;
    }

    /** Stops every module (last started first), the HTTP endpoint and the event loops. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state != State.STARTED) {
                if (state == State.NEW) {
                    state = State.CLOSED;
                    terminated.countDown();
                }
                return;
            }
            state = State.CLOSED;
            status = HealthHttpService.Status.STOPPING;
            fire("stopping", l -> l.stopping(this));
            shutdown();
            log.info("Livehub stopped");
            fire("stopped", l -> l.stopped(this));
            terminated.countDown();
        }
    }

    private void fire(String what, java.util.function.Consumer<LifecycleListener> call) {
        for (LifecycleListener l : lifecycleListeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("lifecycle listener {} failed on {}: {}", l, what, e.toString());
            }
        }
    }

    private void shutdown() {
        for (int i = started.size() - 1; i >= 0; i--) {
            ServerModule m = started.get(i);
            try {
                m.stop().toCompletableFuture().get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("module {} did not stop cleanly: {}", m.name(), e.toString());
            }
        }
        started.clear();
        if (http != null) {
            http.close();
            http = null;
        }
        if (transport != null) {
            long quiet = Math.min(100, shutdownTimeout.toMillis());
            transport.bossGroup().shutdownGracefully(0, shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly();
            transport.workerGroup().shutdownGracefully(quiet, shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly();
        }
        if (events != null) {
            events.close();
        }
        fatalErrors.uninstall();
    }

    private ThreadPerTaskExecutor loopThreads(String name) {
        return new ThreadPerTaskExecutor(fatalErrors.threadFactory(name));
    }

    private Transport newTransport() {
        // Threads and task queues that hand an Error to the fatal error handler, not to Netty's
        // task runner, which would log it and go on half alive.
        if (preferNative && Epoll.isAvailable()) {
            EventLoopGroup boss = new EpollEventLoopGroup(1, loopThreads("livehub-accept"),
                    DefaultEventExecutorChooserFactory.INSTANCE, DefaultSelectStrategyFactory.INSTANCE,
                    RejectedExecutionHandlers.reject(), fatalErrors.taskQueueFactory());
            EventLoopGroup workers = new EpollEventLoopGroup(workerThreads, loopThreads("livehub-io"),
                    DefaultEventExecutorChooserFactory.INSTANCE, DefaultSelectStrategyFactory.INSTANCE,
                    RejectedExecutionHandlers.reject(), fatalErrors.taskQueueFactory());
            return new Transport(boss, workers, EpollServerSocketChannel.class, EpollSocketChannel.class,
                    EpollDatagramChannel.class, true);
        }
        EventLoopGroup boss = new NioEventLoopGroup(1, loopThreads("livehub-accept"),
                DefaultEventExecutorChooserFactory.INSTANCE, SelectorProvider.provider(),
                DefaultSelectStrategyFactory.INSTANCE, RejectedExecutionHandlers.reject(),
                fatalErrors.taskQueueFactory());
        EventLoopGroup workers = new NioEventLoopGroup(workerThreads, loopThreads("livehub-io"),
                DefaultEventExecutorChooserFactory.INSTANCE, SelectorProvider.provider(),
                DefaultSelectStrategyFactory.INSTANCE, RejectedExecutionHandlers.reject(),
                fatalErrors.taskQueueFactory());
        return new Transport(boss, workers, NioServerSocketChannel.class, NioSocketChannel.class,
                NioDatagramChannel.class, false);
    }

    private final class Context implements ServerContext {
        @Override
        public StreamHub hub() {
            return hub;
        }

        @Override
        public EventDispatcher events() {
            return events;
        }

        @Override
        public Transport transport() {
            return transport;
        }

        @Override
        public HttpRoutes http() {
            return routes;
        }

        @Override
        public ClientSessions sessions() {
            return sessions;
        }

        @Override
        public ClientRegistry clients() {
            return clients;
        }

        @Override
        public String serverId() {
            return serverId;
        }

        @Override
        public void reportPort(String name, int port) {
            ports.put(name, port);
        }

        @Override
        public Map<String, Integer> ports() {
            return Collections.unmodifiableMap(ports);
        }

        @Override
        public String nextClientId() {
            return Long.toString(clientIds.incrementAndGet());
        }
    }

    /**
     * Builds a {@link MediaServer}. Defaults: HTTP endpoint on 8080 ({@link HttpServerConfig}),
     * {@link HubConfig#defaults()}, decisions time out after 5 s, worker threads = Netty's
     * default (twice the cores), native transport when available, 5 s graceful shutdown.
     */
    public static final class Builder {
        private final List<ServerModule> modules = new ArrayList<>();
        private final List<MediaServerListener> listeners = new ArrayList<>();
        private final List<LifecycleListener> lifecycleListeners = new ArrayList<>();
        private boolean healthEndpoints = true;
        private HttpServerConfig http = HttpServerConfig.builder().build();
        private HubConfig hub = HubConfig.defaults();
        private Duration decisionTimeout = Duration.ofSeconds(5);
        private int workerThreads;
        private boolean nativeTransport = true;
        private Duration shutdownTimeout = Duration.ofSeconds(5);
        private String serverId;
        private final List<String> vhosts = new ArrayList<>();
        private boolean exitOnFatalError = true;
        private Consumer<Throwable> fatalErrorCallback;
        private IntConsumer halt = status -> Runtime.getRuntime().halt(status);

        private Builder() {
        }

        /**
         * Sets whether an {@link Error} on a server thread halts the JVM after it is logged
         * (default true: a supervisor restarts a server that died loudly, while one that goes on
         * after an out-of-memory error only hangs its clients). An embedder that shares the JVM
         * may turn it off and act in {@link #onFatalError}.
         */
        public Builder exitOnFatalError(boolean exit) {
            this.exitOnFatalError = exit;
            return this;
        }

        /** Sets a callback told of a fatal error, on the thread that hit it, before any halt. */
        public Builder onFatalError(Consumer<Throwable> callback) {
            this.fatalErrorCallback = callback;
            return this;
        }

        /** Replaces {@link Runtime#halt}, for tests. */
        Builder halt(IntConsumer halt) {
            this.halt = Objects.requireNonNull(halt, "halt");
            return this;
        }

        /** Adds a module; modules start in the order added. */
        public Builder module(ServerModule module) {
            modules.add(Objects.requireNonNull(module, "module"));
            return this;
        }

        /** Adds a listener; decisions ask listeners in the order added. */
        public Builder listener(MediaServerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds a listener of the server's own start and stop; they run in the order added. */
        public Builder lifecycleListener(LifecycleListener listener) {
            lifecycleListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Serves {@code /healthz} and {@code /readyz} on the HTTP endpoint (default true); see
         * {@link HealthHttpService}.
         */
        public Builder healthEndpoints(boolean on) {
            this.healthEndpoints = on;
            return this;
        }

        /** Sets the whole HTTP endpoint configuration, replacing what {@link #httpPort} set before. */
        public Builder http(HttpServerConfig config) {
            this.http = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Sets the HTTP endpoint's port (0 for an ephemeral port, -1 to disable it), keeping every
         * other setting of the configuration given to {@link #http} before.
         */
        public Builder httpPort(int port) {
            this.http = http.toBuilder().port(port).build();
            return this;
        }

        public Builder hub(HubConfig config) {
            this.hub = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Sets how long a connect/publish/play waits for listeners before it is denied. */
        public Builder decisionTimeout(Duration timeout) {
            this.decisionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Sets the number of I/O threads; 0 means twice the number of cores. */
        public Builder workerThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0");
            }
            this.workerThreads = threads;
            return this;
        }

        /** Uses the native epoll transport when available (default true); false forces NIO. */
        public Builder nativeTransport(boolean prefer) {
            this.nativeTransport = prefer;
            return this;
        }

        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the server's id (SRS's {@code server_id}); default: {@code vid-} and 7 random
         * characters, made when the server is built. Give the same id to the hooks
         * ({@code HttpHooksConfig.serverId}) so that callbacks and the management API agree.
         */
        public Builder serverId(String id) {
            this.serverId = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Adds a vhost. A client that names it (with {@code ?vhost=} or the host of its URL) is on
         * that vhost; any other name is the default vhost, as in SRS. Default: no vhost but the
         * default one ({@link VhostResolver}).
         */
        public Builder vhost(String name) {
            vhosts.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        public MediaServer build() {
            return new MediaServer(this);
        }

        /** Builds and starts the server; see {@link MediaServer#start()}. */
        public MediaServer start() throws Exception {
            return build().start();
        }
    }
}

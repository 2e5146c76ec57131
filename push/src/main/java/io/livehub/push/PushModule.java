package io.livehub.push;

import io.livehub.push.http.PushHttpService;
import io.livehub.push.internal.Destinations;
import io.livehub.push.internal.PushEngine;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pushes hub streams to other servers (restreaming): tasks started in code or through the
 * HTTP API shaped like OvenMediaEngine's, and {@link ForwardRule}s applied to every stream of
 * an app. Each task is its own hub subscriber with its own bounded queue, so one slow or dead
 * destination never slows the publisher or another destination.
 *
 * <pre>{@code
 * PushModule push = PushModule.builder().build();
 * MediaServer server = MediaServer.builder()
 *         .module(RtmpModule.builder().port(1935).build())
 *         .module(push)
 *         .start();
 * push.start(PushTaskSpec.builder().id("yt").stream("live", "show").protocol(PushProtocol.RTMP)
 *         .url("rtmp://a.rtmp.youtube.com/live2").streamKey("xxxx-xxxx").build());
 * }</pre>
 *
 * <p>Tasks run on the server's worker loops and make their connections there.
 *
 * <p>Thread-safety: {@link #start(PushTaskSpec)}, {@link #stop(String)}, {@link #get(String)}
 * and {@link #list()} may be called from any thread once the server started, and never wait
 * for the network.
 */
public final class PushModule implements ServerModule {

    private final PushConfig config;
    private final List<PushTaskListener> listeners;
    private final List<PushTaskSpec> initialTasks;
    private volatile PushEngine engine;
    private ExecutorService resolver;
    private PushHttpService http;
    private ServerContext context;

    private PushModule(Builder b) {
        this.config = b.config;
        this.listeners = List.copyOf(b.listeners);
        this.initialTasks = List.copyOf(b.tasks);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "push";
    }

    public PushConfig config() {
        return config;
    }

    @Override
    public void start(ServerContext ctx) {
        this.context = ctx;
        resolver = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "livehub-push-resolver");
            t.setDaemon(true);
            return t;
        });
        engine = new PushEngine(config, ctx.hub(), ctx.transport().workerGroup(),
                new Destinations(config, ctx.transport().socketChannel(), ctx.transport().datagramChannel(), resolver,
                        ctx.hub().egressForms()),
                listeners, ctx.sessions());
        if (config.httpApi()) {
            http = new PushHttpService(engine);
            ctx.http().add(http);
        }
        for (PushTaskSpec spec : initialTasks) {
            engine.start(spec);
        }
    }

    @Override
    public CompletionStage<Void> stop() {
        if (http != null) {
            context.http().remove(http);
            http = null;
        }
        PushEngine e = engine;
        CompletableFuture<Void> done = e == null ? CompletableFuture.completedFuture(null) : e.shutdown();
        ExecutorService r = resolver;
        return done.whenComplete((v, t) -> {
            if (r != null) {
                r.shutdown();
            }
        });
    }

    /**
     * Starts a task; it is {@code ready} until its stream is live, then connects.
     *
     * @throws DuplicatePushTaskException when a task has the same id
     * @throws IllegalStateException      before the server started, after it stopped, or at
     *                                    {@link PushConfig#maxTasks()} tasks
     */
    public PushTaskInfo start(PushTaskSpec spec) {
        return engine().start(spec);
    }

    /**
     * Stops a task and removes it; the connection closes in the background.
     *
     * @return the task as it was, or empty when there is none with this id
     */
    public Optional<PushTaskInfo> stop(String id) {
        return engine().stop(id);
    }

    public Optional<PushTaskInfo> get(String id) {
        return engine().get(id);
    }

    /** Returns every task, oldest first. */
    public List<PushTaskInfo> list() {
        return engine().list();
    }

    private PushEngine engine() {
        PushEngine e = engine;
        if (e == null) {
            throw new IllegalStateException("the push module is not started");
        }
        return e;
    }

    /**
     * Builds a {@link PushModule}.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        private PushConfig config = PushConfig.defaults();
        private final List<PushTaskListener> listeners = new ArrayList<>();
        private final List<PushTaskSpec> tasks = new ArrayList<>();

        private Builder() {
        }

        public Builder config(PushConfig v) {
            this.config = Objects.requireNonNull(v, "config");
            return this;
        }

        /** Adds a listener told about every state change of every task. */
        public Builder listener(PushTaskListener v) {
            listeners.add(Objects.requireNonNull(v, "listener"));
            return this;
        }

        /** Adds a task started with the module. */
        public Builder task(PushTaskSpec v) {
            tasks.add(Objects.requireNonNull(v, "task"));
            return this;
        }

        public PushModule build() {
            return new PushModule(this);
        }
    }
}

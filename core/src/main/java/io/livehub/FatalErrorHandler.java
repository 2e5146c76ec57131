package io.livehub;

import io.netty.channel.EventLoopTaskQueueFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the process loudly when an {@link Error} (an {@link OutOfMemoryError}, a
 * {@link StackOverflowError}, a {@link LinkageError}...) hits a server thread, instead of
 * leaving it half alive (ARCHITECTURE.md section 6): Netty logs and swallows what a task
 * throws, so after an out-of-memory error an event loop goes on with broken state, its
 * connections hang and nothing restarts the server. The handler logs the error, calls the
 * embedder's callback, and halts the JVM with status {@value #EXIT_STATUS} so that a
 * supervisor (systemd, Kubernetes, Docker's restart policy) starts it again.
 *
 * <p>{@link AssertionError} is not taken as fatal: it is a failed check (tests use it on event
 * loops), not a sign that the JVM is in trouble.
 *
 * <p>Where errors are caught: every task run by the server's event loops (their task queues
 * come from {@link #taskQueueFactory()}, which wraps each task), anything that escapes a loop
 * thread (the threads from {@link #threadFactory}), and the {@code exceptionCaught} paths of
 * handlers that call {@link #reportIfFatal} (the HTTP endpoint does; protocol modules
 * should). {@link MediaServer} installs one handler per server for as long as it runs.
 *
 * <p>Thread-safety: thread-safe; the first fatal error wins, later ones are only logged.
 */
public final class FatalErrorHandler implements Thread.UncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(FatalErrorHandler.class);

    /** The exit status after a fatal error: {@code EX_SOFTWARE} of sysexits.h. */
    public static final int EXIT_STATUS = 70;

    private static final List<FatalErrorHandler> INSTALLED = new CopyOnWriteArrayList<>();

    private final boolean exit;
    private final Consumer<Throwable> callback;
    private final IntConsumer halt;
    private final AtomicBoolean fired = new AtomicBoolean();

    /**
     * Creates a handler.
     *
     * @param exit     whether to halt the JVM after the callback
     * @param callback told of the fatal error (on the thread that hit it), before the halt; may be null
     */
    public FatalErrorHandler(boolean exit, Consumer<Throwable> callback) {
        this(exit, callback, status -> Runtime.getRuntime().halt(status));
    }

    FatalErrorHandler(boolean exit, Consumer<Throwable> callback, IntConsumer halt) {
        this.exit = exit;
        this.callback = callback;
        this.halt = Objects.requireNonNull(halt, "halt");
    }

    /** Returns whether {@code t} (or one of its causes) is an error that leaves the JVM in doubt. */
    public static boolean isFatal(Throwable t) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof Error && !(t instanceof AssertionError)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hands {@code t} to every installed handler when it is fatal; for {@code exceptionCaught}
     * and other places that catch {@code Throwable}.
     *
     * @return whether it was fatal
     */
    public static boolean reportIfFatal(Throwable t) {
        if (!isFatal(t)) {
            return false;
        }
        for (FatalErrorHandler h : INSTALLED) {
            h.fatal(Thread.currentThread().getName(), t);
        }
        return true;
    }

    void install() {
        INSTALLED.add(this);
    }

    void uninstall() {
        INSTALLED.remove(this);
    }

    @Override
    public void uncaughtException(Thread thread, Throwable t) {
        if (isFatal(t)) {
            fatal(thread.getName(), t);
        } else {
            log.error("uncaught exception on {}", thread.getName(), t);
        }
    }

    /** Logs, calls back and (when configured) halts; only the first fatal error does. */
    void fatal(String where, Throwable t) {
        if (!fired.compareAndSet(false, true)) {
            return;
        }
        try {
            log.error("FATAL: {} on thread {}; {}", t.toString(), where,
                    exit ? "halting with status " + EXIT_STATUS + " so that a supervisor restarts the server"
                            : "the server may be unusable (exitOnFatalError is off)", t);
        } catch (Throwable ignored) {
            // Out of memory while logging: the status below still tells.
        }
        if (callback != null) {
            try {
                callback.accept(t);
            } catch (Throwable e) {
                log.warn("the fatal error callback failed", e);
            }
        }
        if (exit) {
            System.err.flush();
            System.out.flush();
            halt.accept(EXIT_STATUS);
        }
    }

    /** Returns whether a fatal error was handled. */
    public boolean fired() {
        return fired.get();
    }

    /** Returns a thread factory whose threads hand errors that escape them to this handler. */
    public ThreadFactory threadFactory(String poolName) {
        return new DefaultThreadFactory(poolName) {
            @Override
            protected Thread newThread(Runnable r, String name) {
                Thread t = super.newThread(r, name);
                t.setUncaughtExceptionHandler(FatalErrorHandler.this);
                return t;
            }
        };
    }

    /**
     * Returns a task queue factory for Netty event loops whose tasks hand a fatal error to this
     * handler before Netty's task runner swallows it. Costs one small wrapper per task.
     */
    public EventLoopTaskQueueFactory taskQueueFactory() {
        return maxCapacity -> new GuardedTaskQueue(this);
    }

    /** An unbounded multi-producer queue (as Netty's own) that wraps each task. */
    private static final class GuardedTaskQueue extends AbstractQueue<Runnable> {
        private final Queue<Runnable> tasks = new MpscUnboundedArrayQueue<>(1024);
        private final FatalErrorHandler handler;

        GuardedTaskQueue(FatalErrorHandler handler) {
            this.handler = handler;
        }

        @Override
        public boolean offer(Runnable task) {
            return tasks.offer(new Guarded(task, handler));
        }

        @Override
        public Runnable poll() {
            return tasks.poll();
        }

        @Override
        public Runnable peek() {
            return tasks.peek();
        }

        @Override
        public int size() {
            return tasks.size();
        }

        @Override
        public boolean isEmpty() {
            return tasks.isEmpty();
        }

        @Override
        public Iterator<Runnable> iterator() {
            return tasks.iterator();
        }
    }

    private record Guarded(Runnable task, FatalErrorHandler handler) implements Runnable {
        @Override
        public void run() {
            try {
                task.run();
            } catch (Error e) {
                if (isFatal(e)) {
                    handler.fatal(Thread.currentThread().getName(), e);
                }
                throw e;
            }
            // submit() and schedule() tasks keep what they threw in their future.
            if (task instanceof Future<?> f && f.isDone() && !f.isSuccess() && isFatal(f.cause())) {
                handler.fatal(Thread.currentThread().getName(), f.cause());
            }
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }
}

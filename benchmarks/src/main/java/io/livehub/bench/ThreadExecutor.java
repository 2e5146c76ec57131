package io.livehub.bench;

import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An executor whose "event loop" is one given thread, so a benchmark thread can act as a
 * publisher's event loop. Tasks submitted from other threads are refused: in the
 * benchmarks only the bound thread publishes.
 */
final class ThreadExecutor extends AbstractEventExecutor {

    private volatile Thread thread;

    void bind(Thread t) {
        this.thread = t;
    }

    @Override
    public boolean inEventLoop(Thread t) {
        return t == thread;
    }

    @Override
    public void execute(Runnable task) {
        if (inEventLoop()) {
            task.run();
        } else {
            throw new java.util.concurrent.RejectedExecutionException("only the bound thread may publish");
        }
    }

    @Override
    public boolean isShuttingDown() {
        return false;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return newSucceededFuture(null);
    }

    @Override
    public Future<?> terminationFuture() {
        return newSucceededFuture(null);
    }

    @Override
    @Deprecated
    public void shutdown() {
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}

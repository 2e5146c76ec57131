package io.livehub;

/**
 * Hears a {@link MediaServer} go through its lifecycle: starting, started, stopping, stopped.
 * A start that fails goes starting, stopping, stopped (never started). Add one with
 * {@link MediaServer.Builder#lifecycleListener}.
 *
 * <p>Thread-safety: each method runs on the thread that called {@link MediaServer#start()} or
 * {@link MediaServer#close()}, while the server's lifecycle lock is held; a method must not
 * call {@code start()} or {@code close()} itself and should return quickly. An exception it
 * throws is logged and does not change the lifecycle.
 */
public interface LifecycleListener {

    /** Runs before anything is bound. */
    default void starting(MediaServer server) {
    }

    /** Runs when every module started: the server is ready ({@code /readyz} answers 200). */
    default void started(MediaServer server) {
    }

    /** Runs before the modules stop, on {@code close()} or after a failed start. */
    default void stopping(MediaServer server) {
    }

    /** Runs when everything is stopped and released; {@link MediaServer#join()} returns after it. */
    default void stopped(MediaServer server) {
    }
}

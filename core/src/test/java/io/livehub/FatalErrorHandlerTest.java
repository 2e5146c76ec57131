package io.livehub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An Error on a server thread reaches the fatal error handler, which would halt the JVM (an
 * injected halt here), instead of being swallowed by Netty's task runner.
 */
class FatalErrorHandlerTest {

    @Test
    void anErrorThrownByATaskOnAnEventLoopHaltsWithStatus70() throws Exception {
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        CompletableFuture<Throwable> told = new CompletableFuture<>();
        try (MediaServer server = MediaServer.builder().httpPort(-1).nativeTransport(false).shutdownTimeout(Duration.ofSeconds(1))
                .onFatalError(told::complete).halt(halted::complete).start()) {
            EventLoop loop = server.transport().workerGroup().next();
            loop.execute(() -> {
                throw new OutOfMemoryError("Java heap space (test)");
            });
            assertEquals(FatalErrorHandler.EXIT_STATUS, halted.get(5, TimeUnit.SECONDS));
            assertInstanceOf(OutOfMemoryError.class, told.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aScheduledTaskOnTheAcceptLoopIsCoveredToo() throws Exception {
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        try (MediaServer server = MediaServer.builder().httpPort(-1).nativeTransport(false).shutdownTimeout(Duration.ofSeconds(1))
                .halt(halted::complete).start()) {
            server.transport().bossGroup().next().schedule(() -> {
                throw new StackOverflowError("test");
            }, 10, TimeUnit.MILLISECONDS);
            assertEquals(FatalErrorHandler.EXIT_STATUS, halted.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void withExitOffOnlyTheCallbackIsToldAndExceptionsAreNotFatal() throws Exception {
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        CompletableFuture<Throwable> told = new CompletableFuture<>();
        try (MediaServer server = MediaServer.builder().httpPort(-1).nativeTransport(false).shutdownTimeout(Duration.ofSeconds(1))
                .exitOnFatalError(false).onFatalError(told::complete).halt(halted::complete).start()) {
            EventLoop loop = server.transport().workerGroup().next();
            loop.execute(() -> {
                throw new IllegalStateException("an ordinary bug: logged by Netty, not fatal");
            });
            loop.execute(() -> {
                throw new AssertionError("a failed check: not fatal");
            });
            CountDownLatch after = new CountDownLatch(1);
            loop.execute(after::countDown);
            assertTrue(after.await(5, TimeUnit.SECONDS), "the loop goes on");
            assertFalse(told.isDone());
            loop.execute(() -> {
                throw new LinkageError("test");
            });
            assertInstanceOf(LinkageError.class, told.get(5, TimeUnit.SECONDS));
            assertFalse(halted.isDone(), "exitOnFatalError(false) does not halt");
        }
    }

    @Test
    void causesAreLookedInto() {
        assertTrue(FatalErrorHandler.isFatal(new RuntimeException(new OutOfMemoryError())));
        assertFalse(FatalErrorHandler.isFatal(new RuntimeException(new AssertionError())));
        assertFalse(FatalErrorHandler.isFatal(new IllegalStateException()));
    }
}

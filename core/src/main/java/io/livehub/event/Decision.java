package io.livehub.event;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The answer to a connect, publish or play request: allow it, or deny it with a reason
 * that is logged and, where the protocol can, told to the client.
 *
 * <p>Thread-safety: immutable.
 */
public record Decision(boolean allowed, String reason) {

    private static final Decision ALLOW = new Decision(true, "");
    private static final CompletionStage<Decision> ALLOWED = CompletableFuture.completedFuture(ALLOW);

    public Decision {
        Objects.requireNonNull(reason, "reason");
    }

    public static Decision allow() {
        return ALLOW;
    }

    public static Decision deny(String reason) {
        return new Decision(false, reason);
    }

    /** Returns a completed stage that allows; the default answer of every listener. */
    public static CompletionStage<Decision> allowStage() {
        return ALLOWED;
    }

    /** Returns a completed stage that denies with {@code reason}. */
    public static CompletionStage<Decision> denyStage(String reason) {
        return CompletableFuture.completedFuture(deny(reason));
    }
}

package io.livehub.srt;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a listener accepts a caller, after the SYN cookie check and before the
 * conclusion response. The caller repeats its conclusion while the decision is pending; it
 * gives up after its connect timeout (3 s in libsrt).
 *
 * <p>Before that, {@link #passphrase} may name a passphrase for the caller's stream id, which
 * replaces the listener's {@link SrtConfig#passphrase()}; the caller's key material is
 * checked against it first, so a caller with a wrong or missing passphrase is refused
 * ({@code BADSECRET}, {@code UNSECURE}) without {@link #accept} being asked.
 *
 * <p>Thread-safety: called on the listener's event loop; the returned stage may complete on
 * any thread.
 */
@FunctionalInterface
public interface SrtAcceptor {

    CompletionStage<SrtAcceptDecision> accept(SrtConnectionRequest request);

    /**
     * Returns the passphrase of the caller's stream, or null (the default) for the listener's
     * own passphrase, if any. Runs on the listener's event loop and must not block.
     */
    default String passphrase(SrtConnectionRequest request) {
        return null;
    }
}

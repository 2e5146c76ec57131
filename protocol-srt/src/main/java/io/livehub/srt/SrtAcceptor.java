package io.livehub.srt;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a listener accepts a caller, after the SYN cookie check and before the
 * conclusion response. The caller repeats its conclusion while the decision is pending; it
 * gives up after its connect timeout (3 s in libsrt).
 *
 * <p>Thread-safety: called on the listener's event loop; the returned stage may complete on
 * any thread.
 */
@FunctionalInterface
public interface SrtAcceptor {

    CompletionStage<SrtAcceptDecision> accept(SrtConnectionRequest request);
}

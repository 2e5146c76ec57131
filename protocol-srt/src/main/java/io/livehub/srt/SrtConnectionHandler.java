package io.livehub.srt;

import io.netty.buffer.ByteBuf;

/**
 * Receives what happens on one {@link SrtConnection}.
 *
 * <p>Thread-safety: called on the connection's executor, one call at a time.
 */
public interface SrtConnectionHandler {

    /** Tells that the connection is established; sending may start. */
    default void onConnected(SrtConnection connection) {
    }

    /**
     * Delivers one payload at its TSBPD time, in sequence order; payloads that came too late
     * were dropped and counted (see {@link SrtConnectionStats#packetsDropped()}).
     *
     * <p>Ownership: borrowed; the connection releases it after this call. Retain to keep it.
     */
    void onPayload(SrtConnection connection, ByteBuf payload);

    /** Tells that the connection closed; {@code reason} says why (peer shutdown, idle, ...). */
    default void onClosed(SrtConnection connection, String reason) {
    }

    /**
     * Tells a listener's handler that its accepted connection was never established (the
     * endpoint closed or the caller gave up before the decision came), so it can release what
     * it reserved. No other method is called then.
     */
    default void onAbandoned() {
    }
}

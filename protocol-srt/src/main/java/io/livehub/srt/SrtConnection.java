package io.livehub.srt;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;

/**
 * One established SRT connection in live mode, from either side: payloads given to
 * {@link #send} reach the peer's receiver within its TSBPD latency (draft-sharabayko-srt
 * section 4.5), and payloads from the peer are handed to the {@link SrtConnectionHandler}
 * at their delivery time, in order.
 *
 * <p>Thread-safety: every method may be called from any thread; the connection runs on
 * {@link #executor()}, and calls from elsewhere are handed to it.
 */
public interface SrtConnection {

    /** Returns this side's socket id. */
    int socketId();

    /** Returns the peer's socket id. */
    int peerSocketId();

    InetSocketAddress remoteAddress();

    /** Returns the stream id the caller sent, or empty. */
    String streamId();

    /** Returns the negotiated TSBPD delay of payloads this side receives, ms. */
    int receiveLatencyMillis();

    /** Returns the negotiated TSBPD delay of payloads this side sends, ms. */
    int sendLatencyMillis();

    /** Returns the event loop that runs the connection. */
    EventExecutor executor();

    /**
     * Sends one payload as one live-mode packet.
     *
     * <p>Ownership: takes {@code payload}'s reference, also when it returns false.
     *
     * @return false when the connection is closed or the payload is longer than the
     *         configured payload size
     */
    boolean send(ByteBuf payload);

    /** Returns whether the connection is open. */
    boolean isOpen();

    /** Closes the connection: sends a shutdown and releases its buffers. Idempotent. */
    void close();

    /** Returns a future completed when the connection closed, for whatever reason. */
    Future<Void> closeFuture();

    /** Returns a snapshot of the connection's counters. */
    SrtConnectionStats stats();
}

package io.livehub.rtmp.client;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Holds what a playing and a publishing RTMP client session have in common: the connection, the
 * URL, the message stream id from {@code createStream} (RTMP spec §7.2.1.3), and the stages that
 * complete when the connection ends.
 *
 * <p>Thread-safety: every public method may be called from any thread.
 */
public abstract sealed class RtmpClientSession permits RtmpPlaySession, RtmpPublishSession {

    final Channel channel;
    private final RtmpUrl url;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    RtmpClientHandler handler;
    private volatile int streamId;
    volatile boolean open;

    RtmpClientSession(Channel channel, RtmpUrl url) {
        this.channel = channel;
        this.url = url;
    }

    void handler(RtmpClientHandler h) {
        this.handler = h;
    }

    /** Called by the handler on {@code NetStream.Play.Start} or {@code NetStream.Publish.Start}. */
    void started(int id) {
        this.streamId = id;
        this.open = true;
    }

    /** Called by the handler when the connection closed; {@code cause} null after {@link #close()}. */
    void closed(Throwable cause) {
        open = false;
        closed.complete(null);
        if (cause == null) {
            closeFuture.complete(null);
        } else {
            closeFuture.completeExceptionally(cause);
        }
    }

    /** Returns the URL this session plays or publishes to. */
    public RtmpUrl url() {
        return url;
    }

    /** Returns the message stream id the server gave with {@code createStream} (RTMP spec §7.2.1.3). */
    public int streamId() {
        return streamId;
    }

    /** Returns the event loop that runs this session's connection (and calls a player's listener). */
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    /** Returns whether the session is playing or publishing: started, and neither closed nor failed. */
    public boolean isOpen() {
        return open;
    }

    /**
     * Ends the session and closes the connection; see the subclass for what it sends first.
     * Idempotent.
     *
     * @return a stage that completes when the connection is closed, however it ended
     */
    public abstract CompletionStage<Void> close();

    /**
     * Returns a stage that completes when the session ends: normally after {@link #close()},
     * exceptionally with an {@link RtmpClientException} (or an {@link RtmpStatusException} for
     * an error status) when the server or the network ended it.
     */
    public CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + url + " stream " + streamId + (open ? "" : " closed") + "]";
    }
}

package io.livehub.rtmp.client;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Plays one stream from an RTMP server after {@code NetStream.Play.Start} (RTMP spec §7.2.2.1),
 * delivering what arrives to the {@link RtmpPlayListener} given to
 * {@link RtmpClient#play(RtmpUrl, RtmpPlayListener)}. The connection acknowledges received bytes
 * whenever the server's acknowledgement window fills (§5.4.3) and answers Ping Request (§7.1.7).
 *
 * <p>Thread-safety: every method may be called from any thread; the listener is called on
 * {@link #executor()}.
 */
public final class RtmpPlaySession {

    private final Channel channel;
    private final RtmpUrl url;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private RtmpClientHandler handler;
    private volatile int streamId;
    private volatile boolean open;
    private volatile long framesReceived;

    RtmpPlaySession(Channel channel, RtmpUrl url) {
        this.channel = channel;
        this.url = url;
    }

    void handler(RtmpClientHandler h) {
        this.handler = h;
    }

    /** Called by the handler on {@code NetStream.Play.Start}. */
    void started(int id) {
        this.streamId = id;
        this.open = true;
    }

    /** Called by the handler, on the event loop, for each frame delivered. */
    void onFrame() {
        framesReceived++;
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

    /** Returns the URL this session plays. */
    public RtmpUrl url() {
        return url;
    }

    /** Returns the message stream id the server gave with {@code createStream} (RTMP spec §7.2.1.3). */
    public int streamId() {
        return streamId;
    }

    /** Returns the event loop that runs this session's connection and calls its listener. */
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    /** Returns whether the session is playing: started, and neither closed nor failed. */
    public boolean isOpen() {
        return open;
    }

    /** Returns how many frames were delivered to the listener. */
    public long framesReceived() {
        return framesReceived;
    }

    /**
     * Stops playing: sends {@code deleteStream} (RTMP spec §7.2.2.3) and closes the connection;
     * the listener then gets {@link RtmpPlayListener#onClose} with a null cause. Idempotent.
     *
     * @return a stage that completes when the connection is closed, however it ended
     */
    public CompletionStage<Void> close() {
        handler.requestClose();
        return closed;
    }

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
        return "RtmpPlaySession[" + url + " stream " + streamId + (open ? "" : " closed") + "]";
    }
}

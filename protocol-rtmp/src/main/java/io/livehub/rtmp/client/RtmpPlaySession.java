package io.livehub.rtmp.client;

import io.netty.channel.Channel;
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
public final class RtmpPlaySession extends RtmpClientSession {

    private volatile long framesReceived;

    RtmpPlaySession(Channel channel, RtmpUrl url) {
        super(channel, url);
    }

    /** Called by the handler, on the event loop, for each frame delivered. */
    void onFrame() {
        framesReceived++;
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
    @Override
    public CompletionStage<Void> close() {
        handler.requestClose();
        return closed;
    }
}

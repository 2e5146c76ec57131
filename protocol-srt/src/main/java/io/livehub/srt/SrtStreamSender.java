package io.livehub.srt;

import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamHub;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one hub stream over an SRT connection: the handler to give {@link SrtCaller} to push
 * a stream to an SRT listener (a restream target, {@code srt-live-transmit}, another server).
 * When the connection is established it subscribes to the stream, encodes every frame with
 * its {@link SrtPayloadMuxer} (MPEG-TS by default) and sends the payloads; when the
 * connection closes, for whatever reason, it ends the subscription and closes the muxer.
 *
 * <pre>{@code
 * SrtStreamSender sender = SrtStreamSender.mpegTs(server.hub(), StreamKey.of("live", "show"), config);
 * Future<SrtConnection> f = SrtCaller.connect(config, group, NioDatagramChannel.class,
 *         new InetSocketAddress("203.0.113.7", 9000), "#!::r=live/show,m=publish", sender);
 * // later: sender.close(), or f.getNow().closeFuture() to learn that the peer went away
 * }</pre>
 *
 * <p>The subscription waits for a publisher when the stream is not live yet and stays open
 * across republishing, as any hub subscription does. Payloads the peer sends back are ignored.
 *
 * <p>Thread-safety: the handler and subscriber methods run on the connection's event loop;
 * {@link #close()} and the counters may be called from any thread. One sender serves one
 * connection.
 */
public final class SrtStreamSender implements SrtConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(SrtStreamSender.class);

    private final StreamHub hub;
    private final StreamKey key;
    private final SrtPayloadMuxer muxer;
    private volatile SrtConnection connection;
    private volatile boolean closed;
    private Subscription subscription;
    private volatile long videoFrames;
    private volatile long audioFrames;
    private volatile long payloads;

    /**
     * Makes a sender of {@code key} that encodes with {@code muxer}.
     *
     * <p>Ownership: the muxer is closed by this sender when the connection ends.
     */
    public SrtStreamSender(StreamHub hub, StreamKey key, SrtPayloadMuxer muxer) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.key = Objects.requireNonNull(key, "key");
        this.muxer = Objects.requireNonNull(muxer, "muxer");
    }

    /** Makes a sender of {@code key} as MPEG-TS in payloads of {@code config.payloadSize()} (1316 by default). */
    public static SrtStreamSender mpegTs(StreamHub hub, StreamKey key, SrtConfig config) {
        return new SrtStreamSender(hub, key, TsPayloadFormat.INSTANCE.newMuxer(config.payloadSize(), hub.egressForms()));
    }

    public StreamKey stream() {
        return key;
    }

    /** Returns the connection once established, else null. */
    public SrtConnection connection() {
        return connection;
    }

    /** Returns how many video frames were encoded and sent. */
    public long videoFramesSent() {
        return videoFrames;
    }

    /** Returns how many audio frames were encoded and sent. */
    public long audioFramesSent() {
        return audioFrames;
    }

    /** Returns how many SRT payloads were handed to the connection. */
    public long payloadsSent() {
        return payloads;
    }

    /** Closes the connection (which ends the subscription); before it is established, abandons it. */
    public void close() {
        closed = true;
        SrtConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void onConnected(SrtConnection c) {
        connection = c;
        if (closed) {
            c.close();
            return;
        }
        subscription = hub.subscribe(key, new Subscriber(c));
        log.debug("pushing {} to {} over srt", key.path(), c.remoteAddress());
    }

    @Override
    public void onPayload(SrtConnection c, ByteBuf payload) {
        // A push target has nothing to say in payloads.
    }

    @Override
    public void onClosed(SrtConnection c, String reason) {
        closed = true;
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        muxer.close();
        log.debug("push of {} to {} ended: {}", key.path(), c.remoteAddress(), reason);
    }

    @Override
    public void onAbandoned() {
        closed = true;
        muxer.close();
    }

    private final class Subscriber implements StreamSubscriber {
        private final SrtConnection c;

        Subscriber(SrtConnection c) {
            this.c = c;
        }

        @Override
        public EventExecutor executor() {
            return c.executor();
        }

        /** The hub closed the subscription (the peer fell behind for too long): the connection ends. */
        @Override
        public void onEvicted(String reason) {
            c.close();
        }

        @Override
        public void onPublish(LiveStream stream) {
            if (!closed) {
                muxer.onPublish(stream);
            }
        }

        @Override
        public void onFrame(MediaFrame frame) {
            if (closed) {
                return;
            }
            muxer.encode(frame, this::send);
            if (frame.track().kind() == TrackKind.VIDEO) {
                videoFrames++;
            } else if (frame.track().kind() == TrackKind.AUDIO) {
                audioFrames++;
            }
        }

        private void send(ByteBuf payload) {
            payloads++;
            c.send(payload);
        }
    }
}

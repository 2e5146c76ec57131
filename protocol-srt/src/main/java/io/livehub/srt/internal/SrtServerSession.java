package io.livehub.srt.internal;

import io.livehub.hub.LiveStream;
import io.livehub.hub.Publication;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.session.ClientSession;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.SrtPayloadDemuxer;
import io.livehub.srt.SrtPayloadMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one accepted SRT connection of {@link io.livehub.srt.SrtModule} through its
 * {@link ClientSession}: a publisher's payloads go through its ingest (MPEG-TS to frames) into
 * the session's {@link Publication}; a player's frames go through its egress (frames to
 * MPEG-TS) to the connection. When the connection ends, for whatever reason (peer shutdown,
 * idle timeout, server stop, kick), the session is closed, which fires unpublish or stop and
 * then close.
 *
 * <p>A player is subscribed before its connection is established (the play decision comes
 * before the conclusion response); until then {@link #isWritable()} is false, so the hub keeps
 * its frames (from the keyframe on) and delivers them once the connection can send them.
 *
 * <p>Thread-safety: confined to the connection's event loop, which is also the session's.
 */
public final class SrtServerSession implements SrtConnectionHandler, StreamSubscriber {

    private static final Logger log = LoggerFactory.getLogger(SrtServerSession.class);

    private final ClientSession session;
    private Publication publication;
    private SrtPayloadDemuxer ingest;
    private SrtPayloadMuxer egress;
    private Subscription subscription;
    private volatile SrtConnection connection;
    private volatile boolean closed;
    private volatile Runnable onRelease;

    /**
     * Makes the handler of {@code session}'s connection: the session's kick closes the
     * connection, and its byte counts are the connection's.
     */
    public SrtServerSession(ClientSession session) {
        this.session = session;
        session.onKick(this::kick);
        session.countTraffic(() -> {
            SrtConnection c = connection;
            return c == null ? 0 : c.stats().bytesReceived();
        }, () -> {
            SrtConnection c = connection;
            return c == null ? 0 : c.stats().bytesSent();
        });
    }

    public ClientSession session() {
        return session;
    }

    /** Runs {@code r} once when the handler is released (the module gives back a connection slot). */
    public void onRelease(Runnable r) {
        this.onRelease = r;
    }

    /** Makes this a publisher's handler. Ownership: both are ended by this handler. */
    public void publishing(Publication publication, SrtPayloadDemuxer ingest) {
        this.publication = publication;
        this.ingest = ingest;
    }

    /** Makes this a player's handler, before its subscription. Ownership: the egress is closed by this handler. */
    public void playing(SrtPayloadMuxer egress) {
        this.egress = egress;
    }

    /** Takes the player's subscription, made with this handler as its subscriber. */
    public void subscribed(Subscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public void onConnected(SrtConnection c) {
        connection = c;
        if (subscription != null) {
            subscription.wake();
        }
    }

    @Override
    public void onPayload(SrtConnection c, ByteBuf payload) {
        if (publication == null || closed) {
            return;
        }
        try {
            ingest.decode(payload, publication::publish);
        } catch (MalformedMediaException e) {
            session.badInput(e.getMessage());
            c.close();
        }
    }

    @Override
    public void onClosed(SrtConnection c, String reason) {
        if (publication != null && !closed) {
            try {
                ingest.flush(publication::publish);
            } catch (RuntimeException e) {
                log.debug("srt client {}: the stream's last frames could not be read: {}", session.id(),
                        e.toString());
            }
        }
        release();
        log.info("srt client {} from {} closed: {} ({})", session.id(), session.info().ip(), reason, c.stats());
    }

    @Override
    public void onAbandoned() {
        if (connection == null) {
            release();
        }
    }

    /** Closes the session (ending its publication or subscription) and frees the ingest or egress; idempotent. */
    public void release() {
        if (closed) {
            return;
        }
        closed = true;
        session.close();
        Runnable r = onRelease;
        if (r != null) {
            r.run();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (egress != null) {
            egress.close();
        }
    }

    private void kick() {
        SrtConnection c = connection;
        if (c != null) {
            c.close();
        } else {
            session.executor().execute(this::release);
        }
    }

    // ---- StreamSubscriber (players) ----

    @Override
    public EventExecutor executor() {
        return session.executor();
    }

    @Override
    public boolean isWritable() {
        return connection != null || closed;
    }

    /** The hub closed the subscription (a player that fell behind for too long): the connection ends. */
    @Override
    public void onEvicted(String reason) {
        kick();
    }

    @Override
    public void onPublish(LiveStream stream) {
        if (!closed) {
            egress.onPublish(stream);
        }
    }

    @Override
    public void onFrame(MediaFrame frame) {
        SrtConnection c = connection;
        if (c != null && !closed) {
            egress.encode(frame, c::send);
        }
    }
}

package io.livehub.srt.internal;

import io.livehub.event.ClientInfo;
import io.livehub.event.CloseEvent;
import io.livehub.event.StopEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.hub.LiveStream;
import io.livehub.hub.Publication;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.SrtPayloadDemuxer;
import io.livehub.srt.SrtPayloadMuxer;
import io.livehub.srt.SrtStreamId;
import io.livehub.spi.ClientSession;
import io.livehub.spi.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one accepted SRT connection of {@link io.livehub.srt.SrtModule} to the hub: a
 * publisher's payloads go through the demuxer into its {@link Publication}; a player
 * subscribes and gets the muxer's payloads. On close it ends the publication or
 * subscription and fires unpublish/stop and close events.
 *
 * <p>Thread-safety: confined to the connection's event loop, except {@link ClientSession}
 * methods.
 */
public final class SrtServerSession implements SrtConnectionHandler, StreamSubscriber, ClientSession {

    private static final Logger log = LoggerFactory.getLogger(SrtServerSession.class);

    private final ServerContext server;
    private final ClientInfo client;
    private final SrtStreamId id;
    private final EventExecutor executor;
    private final Instant connectedAt = Instant.now();
    private Publication publication;
    private SrtPayloadDemuxer demuxer;
    private SrtPayloadMuxer muxer;
    private Subscription subscription;
    private volatile SrtConnection connection;
    private boolean closed;

    /** Makes a publisher's session. Ownership: the publication is ended by this session. */
    public static SrtServerSession publisher(ServerContext server, ClientInfo client, SrtStreamId id,
                                             EventExecutor executor, Publication publication,
                                             SrtPayloadDemuxer demuxer) {
        SrtServerSession s = new SrtServerSession(server, client, id, executor);
        s.publication = publication;
        s.demuxer = demuxer;
        return s;
    }

    /** Makes a player's session; it subscribes when the connection is established. */
    public static SrtServerSession player(ServerContext server, ClientInfo client, SrtStreamId id,
                                          EventExecutor executor, SrtPayloadMuxer muxer) {
        SrtServerSession s = new SrtServerSession(server, client, id, executor);
        s.muxer = muxer;
        return s;
    }

    private SrtServerSession(ServerContext server, ClientInfo client, SrtStreamId id, EventExecutor executor) {
        this.server = server;
        this.client = client;
        this.id = id;
        this.executor = executor;
    }

    @Override
    public void onConnected(SrtConnection c) {
        connection = c;
        server.clients().add(this);
        if (muxer != null) {
            subscription = server.hub().subscribe(id.key(), this);
        }
        log.info("client {} from {} {} {} over srt", client.clientId(), client.ip(),
                publication != null ? "publishing" : "playing", id.key().path());
    }

    @Override
    public void onPayload(SrtConnection c, ByteBuf payload) {
        if (publication == null || closed) {
            return;
        }
        try {
            demuxer.decode(payload, publication::publish);
        } catch (MalformedMediaException e) {
            log.warn("closing SRT client {} from {}: {}", client.clientId(), client.ip(), e.getMessage());
            c.close();
        }
    }

    @Override
    public void onClosed(SrtConnection c, String reason) {
        closed = true;
        Instant now = Instant.now();
        if (publication != null) {
            try {
                demuxer.flush(publication::publish);
            } catch (RuntimeException e) {
                log.debug("SRT client {}: the stream's last frames could not be read: {}", client.clientId(),
                        e.toString());
            }
            publication.close();
            demuxer.close();
            server.events().unpublish(new UnpublishEvent(client, id.key(), id.params(), now));
        }
        if (subscription != null) {
            subscription.close();
            server.events().stop(new StopEvent(client, id.key(), id.params(), now));
        }
        if (muxer != null) {
            muxer.close();
        }
        server.clients().remove(this);
        var stats = c.stats();
        server.events().close(new CloseEvent(client, id.key().vhost(), id.key().app(), id.key(), id.params(), now,
                stats.bytesSent(), stats.bytesReceived()));
        log.info("client {} from {} closed: {} ({})", client.clientId(), client.ip(), reason, stats);
    }

    @Override
    public void onAbandoned() {
        if (connection == null && !closed) {
            closed = true;
            if (publication != null) {
                publication.close();
                demuxer.close();
            }
            if (muxer != null) {
                muxer.close();
            }
        }
    }

    // ---- StreamSubscriber (players) ----

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public void onPublish(LiveStream stream) {
        if (muxer != null && !closed) {
            muxer.onPublish(stream);
        }
    }

    @Override
    public void onFrame(MediaFrame frame) {
        SrtConnection c = connection;
        if (c != null && !closed) {
            muxer.encode(frame, c::send);
        }
    }

    // ---- ClientSession ----

    @Override
    public ClientInfo info() {
        return client;
    }

    @Override
    public Role role() {
        return publication != null ? Role.PUBLISHING : Role.PLAYING;
    }

    @Override
    public StreamKey stream() {
        return id.key();
    }

    @Override
    public Instant connectedAt() {
        return connectedAt;
    }

    @Override
    public long bytesIn() {
        SrtConnection c = connection;
        return c == null ? 0 : c.stats().bytesReceived();
    }

    @Override
    public long bytesOut() {
        SrtConnection c = connection;
        return c == null ? 0 : c.stats().bytesSent();
    }

    @Override
    public void kick() {
        SrtConnection c = connection;
        if (c != null) {
            c.close();
        }
    }
}

package io.livehub.rtmp.internal;

import io.livehub.event.ClientInfo;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.event.StopEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.flv.FlvMediaDecoder;
import io.livehub.flv.FlvTagType;
import io.livehub.hub.Publication;
import io.livehub.hub.StreamBusyException;
import io.livehub.hub.Subscription;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpConfig;
import io.livehub.rtmp.amf.AmfObject;
import io.livehub.rtmp.amf.AmfUndefined;
import io.livehub.rtmp.chunk.RtmpAcknowledgementDueEvent;
import io.livehub.rtmp.message.RtmpAggregate;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpDataMessage;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.livehub.rtmp.message.RtmpUserControlEvent;
import io.livehub.spi.ClientSession;
import io.livehub.spi.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server side of one RTMP connection after the handshake: the NetConnection and
 * NetStream commands of RTMP spec §7.2, publishing into the hub and playing from it.
 *
 * <p>Connect, publish and play wait for the server's listeners without blocking the event
 * loop: reading pauses and messages that already arrived are held (up to
 * {@link RtmpConfig#maxPendingBytes()}) until the decision comes. A publisher gets
 * {@code NetStream.Publish.Start} only after it was allowed.
 *
 * <p>Thread-safety: confined to the channel's event loop.
 */
public final class RtmpServerSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RtmpServerSession.class);

    private final ServerContext server;
    private final RtmpConfig config;
    private final TrafficCounter traffic;
    private final String protocol;
    private final String clientId;

    private ChannelHandlerContext ctx;
    private boolean connectRequested;
    private boolean connected;
    private ClientInfo client;
    private String app;
    private Map<String, String> connectParams = Map.of();

    private boolean waiting;
    private final ArrayDeque<RtmpMessage> pending = new ArrayDeque<>();
    private long pendingBytes;
    private final List<Object> decoded = new ArrayList<>(2);

    private Publication publication;
    private FlvMediaDecoder mediaDecoder;
    private StreamKey publishKey;
    private Map<String, String> publishParams;

    private Subscription subscription;
    private StreamKey playKey;
    private Map<String, String> playParams;
    private volatile StreamKey lastStream;
    private volatile ClientSession.Role role = ClientSession.Role.CONNECTED;
    private final Instant connectedAt = Instant.now();
    private final ClientSession registration = new Registration();
    private boolean registered;
    private boolean closed;

    public RtmpServerSession(ServerContext server, RtmpConfig config, TrafficCounter traffic, String clientId) {
        this.server = server;
        this.config = config;
        this.traffic = traffic;
        this.protocol = config.sslContext() != null ? "rtmps" : "rtmp";
        this.clientId = clientId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        RtmpMessage m = (RtmpMessage) msg;
        if (waiting) {
            pending.add(m);
            pendingBytes += m.content().readableBytes();
            if (pendingBytes > config.maxPendingBytes()) {
                fail("sent " + pendingBytes + " bytes while a decision was pending (limit "
                        + config.maxPendingBytes() + ")");
            }
            return;
        }
        handle(m);
    }

    private void handle(RtmpMessage m) {
        try {
            switch (m.typeId()) {
                case RtmpMessageType.AMF0_COMMAND:
                case RtmpMessageType.AMF3_COMMAND:
                    onCommand(RtmpCommand.decode(m, config.amfLimits()), m.messageStreamId());
                    break;
                case RtmpMessageType.AMF0_DATA:
                case RtmpMessageType.AMF3_DATA:
                    onData(RtmpDataMessage.decode(m, config.amfLimits()));
                    break;
                case RtmpMessageType.AUDIO:
                    onMedia(FlvTagType.AUDIO, m.timestamp(), m.content());
                    break;
                case RtmpMessageType.VIDEO:
                    onMedia(FlvTagType.VIDEO, m.timestamp(), m.content());
                    break;
                case RtmpMessageType.AGGREGATE:
                    onAggregate(m);
                    break;
                case RtmpMessageType.USER_CONTROL:
                    RtmpUserControlEvent e = RtmpUserControlEvent.parse(m);
                    if (e.eventType() == RtmpUserControlEvent.PING_REQUEST) {
                        ctx.writeAndFlush(RtmpUserControlEvent.pingResponse(e.value()).toMessage(ctx.alloc(), 0));
                    }
                    break;
                default:
                    // Acknowledgements, window sizes and shared objects need no answer.
                    break;
            }
        } catch (MalformedMediaException e) {
            fail(e.getMessage());
        } finally {
            m.release();
        }
    }

    // ---- commands ----

    private void onCommand(RtmpCommand cmd, int streamId) {
        switch (cmd.name()) {
            case "connect":
                onConnect(cmd);
                break;
            case "createStream":
                requireConnected(cmd);
                write(RtmpStatus.result(ctx.alloc(), cmd.transactionId(), null, (double) RtmpEgress.STREAM_ID));
                break;
            case "releaseStream":
            case "FCPublish":
                requireConnected(cmd);
                write(RtmpStatus.result(ctx.alloc(), cmd.transactionId(), null, AmfUndefined.INSTANCE));
                break;
            case "publish":
                requireConnected(cmd);
                onPublish(cmd, streamId);
                break;
            case "play":
                requireConnected(cmd);
                onPlay(cmd, streamId);
                break;
            case "FCUnpublish":
                if (publication != null) {
                    stopPublishing(true);
                }
                if (cmd.transactionId() > 0) {
                    write(RtmpStatus.result(ctx.alloc(), cmd.transactionId(), null, AmfUndefined.INSTANCE));
                }
                break;
            case "deleteStream":
            case "closeStream":
                if (publication != null) {
                    stopPublishing(true);
                }
                if (subscription != null) {
                    stopPlaying();
                }
                break;
            case "getStreamLength":
                write(RtmpStatus.result(ctx.alloc(), cmd.transactionId(), null, 0.0));
                break;
            default:
                // pause, seek, receiveAudio, _checkbw, ... have no meaning for live streams.
                log.debug("client {} sent command {}; ignored", clientId, cmd.name());
                break;
        }
    }

    private void requireConnected(RtmpCommand cmd) {
        if (!connected) {
            throw new MalformedMediaException("command " + cmd.name() + " before connect");
        }
    }

    private void onConnect(RtmpCommand cmd) {
        if (connectRequested) {
            throw new MalformedMediaException("connect sent twice");
        }
        connectRequested = true;
        AmfObject o = cmd.commandObjectOrEmpty();
        String rawApp = stringOr(o.get("app"), "");
        String tcUrl = stringOr(o.get("tcUrl"), "");
        String pageUrl = stringOr(o.get("pageUrl"), "");
        Map<String, String> params = QueryParams.merge(QueryParams.parse(QueryParams.queryOf(tcUrl)),
                QueryParams.parse(QueryParams.queryOf(rawApp)));
        String appName = trimSlashes(QueryParams.stripQuery(rawApp));
        if (appName.isEmpty()) {
            appName = appFromTcUrl(tcUrl);
        }
        client = new ClientInfo(protocol, clientId, remote(), QueryParams.stripQuery(tcUrl), pageUrl);
        try {
            StreamKey.of(appName, "probe");
        } catch (IllegalArgumentException e) {
            rejectConnect(cmd, "invalid app name");
            return;
        }
        app = appName;
        connectParams = params;
        double tid = cmd.transactionId();
        Object encoding = o.get("objectEncoding");
        ConnectEvent event = new ConnectEvent(client, "", app, params, Instant.now());
        await(server.events().connect(event), d -> {
            if (!d.allowed()) {
                log.info("client {} from {} connect to app '{}' denied: {}", clientId, client.ip(), app, d.reason());
                rejectConnect(cmd, d.reason());
                return;
            }
            connected = true;
            server.clients().add(registration);
            registered = true;
            ctx.write(RtmpProtocolControl.windowAckSize(ctx.alloc(), config.windowAckSize()));
            ctx.write(RtmpProtocolControl.setPeerBandwidth(ctx.alloc(), config.windowAckSize(),
                    RtmpProtocolControl.LIMIT_DYNAMIC));
            ctx.write(RtmpProtocolControl.setChunkSize(ctx.alloc(), config.chunkSize()));
            AmfObject props = new AmfObject().with("fmsVer", "FMS/3,5,3,888").with("capabilities", 127.0)
                    .with("mode", 1.0);
            AmfObject info = RtmpStatus.info("status", RtmpStatus.CONNECT_SUCCESS, "Connection succeeded.")
                    .with("objectEncoding", encoding instanceof Double ? encoding : 0.0);
            write(RtmpStatus.result(ctx.alloc(), tid, props, info));
        });
    }

    private void rejectConnect(RtmpCommand cmd, String reason) {
        ctx.writeAndFlush(RtmpStatus.error(ctx.alloc(), cmd.transactionId(), RtmpStatus.CONNECT_REJECTED, reason))
                .addListener(ChannelFutureListener.CLOSE);
        closed = true;
    }

    private void onPublish(RtmpCommand cmd, int streamId) {
        String raw = cmd.stringArgument(0);
        if (publication != null || subscription != null || waiting) {
            throw new MalformedMediaException("publish while already publishing or playing");
        }
        StreamKey key = streamKey(raw);
        if (key == null) {
            statusAndClose(streamId, RtmpStatus.PUBLISH_BAD_NAME, "invalid stream name");
            return;
        }
        Map<String, String> params = QueryParams.merge(connectParams, QueryParams.parse(QueryParams.queryOf(raw)));
        PublishEvent event = new PublishEvent(client, key, params, Instant.now());
        await(server.events().publish(event), d -> {
            if (!d.allowed()) {
                log.info("client {} from {} publish {} denied: {}", clientId, client.ip(), key, d.reason());
                statusAndClose(streamId, RtmpStatus.PUBLISH_DENIED, "publish denied: " + d.reason());
                return;
            }
            try {
                publication = server.hub().publish(key, ctx.executor(), clientId);
            } catch (StreamBusyException e) {
                log.info("client {} from {} publish {} refused: already publishing", clientId, client.ip(), key);
                statusAndClose(streamId, RtmpStatus.PUBLISH_BAD_NAME, "stream " + key.path() + " is already publishing");
                return;
            }
            mediaDecoder = new FlvMediaDecoder();
            publishKey = key;
            publishParams = params;
            lastStream = key;
            role = ClientSession.Role.PUBLISHING;
            ctx.write(RtmpUserControlEvent.streamBegin(streamId).toMessage(ctx.alloc(), 0));
            write(RtmpStatus.onStatus(ctx.alloc(), streamId, "status", RtmpStatus.PUBLISH_START,
                    "Started publishing stream."));
            log.info("client {} from {} publishing {} over {}", clientId, client.ip(), key.path(), protocol);
        });
    }

    private void onPlay(RtmpCommand cmd, int streamId) {
        String raw = cmd.stringArgument(0);
        if (publication != null || subscription != null || waiting) {
            throw new MalformedMediaException("play while already publishing or playing");
        }
        StreamKey key = streamKey(raw);
        if (key == null) {
            statusAndClose(streamId, RtmpStatus.PLAY_STREAM_NOT_FOUND, "invalid stream name");
            return;
        }
        Map<String, String> params = QueryParams.merge(connectParams, QueryParams.parse(QueryParams.queryOf(raw)));
        PlayEvent event = new PlayEvent(client, key, params, Instant.now());
        await(server.events().play(event), d -> {
            if (!d.allowed()) {
                log.info("client {} from {} play {} denied: {}", clientId, client.ip(), key, d.reason());
                statusAndClose(streamId, RtmpStatus.PLAY_FAILED, "play denied: " + d.reason());
                return;
            }
            playKey = key;
            playParams = params;
            lastStream = key;
            role = ClientSession.Role.PLAYING;
            ctx.write(RtmpUserControlEvent.streamBegin(streamId).toMessage(ctx.alloc(), 0));
            ctx.write(RtmpStatus.onStatus(ctx.alloc(), streamId, "status", RtmpStatus.PLAY_RESET,
                    "Playing and resetting " + key.path() + "."));
            ctx.write(RtmpStatus.onStatus(ctx.alloc(), streamId, "status", RtmpStatus.PLAY_START,
                    "Started playing " + key.path() + "."));
            ctx.write(new RtmpDataMessage("|RtmpSampleAccess", List.of(true, true))
                    .toMessage(ctx.alloc(), streamId, 0));
            ctx.flush();
            subscription = server.hub().subscribe(key, new RtmpPlayer(ctx, traffic, config.chunkSize()));
            log.info("client {} from {} playing {}", clientId, client.ip(), key.path());
        });
    }

    private void onData(RtmpDataMessage data) {
        if (publication == null) {
            return;
        }
        RtmpDataMessage inner = data.isSetDataFrame() ? data.unwrapSetDataFrame() : data;
        if (inner != null && RtmpDataMessage.ON_META_DATA.equals(inner.name())) {
            Map<String, Object> md = inner.firstMap();
            if (md != null) {
                publication.metadata(md);
            }
        }
    }

    private void onMedia(FlvTagType type, long timestamp, ByteBuf body) {
        if (publication == null) {
            return;
        }
        decoded.clear();
        mediaDecoder.decode(type, timestamp, body, decoded);
        for (int i = 0; i < decoded.size(); i++) {
            Object o = decoded.get(i);
            if (o instanceof MediaFrame) {
                publication.publish((MediaFrame) o);
            }
        }
        decoded.clear();
    }

    /** Publishes the audio and video sub-messages of an aggregate message (RTMP spec §7.1.6). */
    private void onAggregate(RtmpMessage m) {
        RtmpAggregate.forEach(m, (type, timestamp, body) -> {
            if (type == RtmpMessageType.AUDIO) {
                onMedia(FlvTagType.AUDIO, timestamp, body);
            } else if (type == RtmpMessageType.VIDEO) {
                onMedia(FlvTagType.VIDEO, timestamp, body);
            }
        });
    }

    // ---- stopping ----

    private void stopPublishing(boolean tellClient) {
        Publication p = publication;
        publication = null;
        mediaDecoder = null;
        role = ClientSession.Role.CONNECTED;
        p.close();
        server.events().unpublish(new UnpublishEvent(client, publishKey, publishParams, Instant.now()));
        log.info("client {} stopped publishing {}", clientId, publishKey.path());
        if (tellClient && ctx.channel().isActive()) {
            write(RtmpStatus.onStatus(ctx.alloc(), RtmpEgress.STREAM_ID, "status", RtmpStatus.UNPUBLISH_SUCCESS,
                    "Stopped publishing stream."));
        }
    }

    private void stopPlaying() {
        Subscription s = subscription;
        subscription = null;
        role = ClientSession.Role.CONNECTED;
        s.close();
        server.events().stop(new StopEvent(client, playKey, playParams, Instant.now()));
        log.info("client {} stopped playing {}", clientId, playKey.path());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        releasePending();
        if (publication != null) {
            stopPublishing(false);
        }
        if (subscription != null) {
            stopPlaying();
        }
        if (registered) {
            server.clients().remove(registration);
        }
        if (client != null) {
            server.events().close(new CloseEvent(client, "", app == null ? "" : app, lastStream, connectParams,
                    Instant.now(), traffic.bytesOut(), traffic.bytesIn()));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (subscription != null && ctx.channel().isWritable()) {
            subscription.wake();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof RtmpAcknowledgementDueEvent) {
            ctx.writeAndFlush(RtmpProtocolControl.acknowledgement(ctx.alloc(),
                    ((RtmpAcknowledgementDueEvent) evt).sequenceNumber()));
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (subscription == null) {
                log.info("client {} from {} idle for {}; closing", clientId, remoteText(), config.idleTimeout());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MalformedMediaException || cause.getCause() instanceof MalformedMediaException) {
            // The wire layer that threw has logged the reason already.
            log.debug("client {} sent malformed data: {}", clientId, cause.toString());
            closed = true;
            ctx.close();
        } else if (cause instanceof java.io.IOException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            log.debug("client {} connection error: {}", clientId, cause.toString());
            ctx.close();
        } else {
            log.warn("client {} from {} failed; closing", clientId, remoteText(), cause);
            ctx.close();
        }
    }

    /** What the management API sees of this connection. */
    private final class Registration implements ClientSession {
        @Override
        public ClientInfo info() {
            return client;
        }

        @Override
        public Role role() {
            return role;
        }

        @Override
        public StreamKey stream() {
            return role == Role.CONNECTED ? null : lastStream;
        }

        @Override
        public Instant connectedAt() {
            return connectedAt;
        }

        @Override
        public long bytesIn() {
            return traffic.bytesIn();
        }

        @Override
        public long bytesOut() {
            return traffic.bytesOut();
        }

        @Override
        public void kick() {
            log.info("kicking client {} from {}", clientId, client.ip());
            ctx.channel().close();
        }
    }

    // ---- helpers ----

    private void await(CompletionStage<Decision> stage, Consumer<Decision> then) {
        waiting = true;
        ctx.channel().config().setAutoRead(false);
        stage.whenComplete((d, t) -> ctx.executor().execute(() -> {
            waiting = false;
            if (closed || !ctx.channel().isActive()) {
                releasePending();
                return;
            }
            ctx.channel().config().setAutoRead(true);
            then.accept(t != null ? Decision.deny(t.toString()) : d);
            ctx.flush();
            while (!waiting && !closed && !pending.isEmpty()) {
                RtmpMessage m = pending.poll();
                pendingBytes -= m.content().readableBytes();
                handle(m);
            }
        }));
    }

    private void releasePending() {
        RtmpMessage m;
        while ((m = pending.poll()) != null) {
            m.release();
        }
        pendingBytes = 0;
    }

    private void statusAndClose(int streamId, String code, String description) {
        closed = true;
        ctx.writeAndFlush(RtmpStatus.onStatus(ctx.alloc(), streamId, "error", code, description))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void write(RtmpMessage m) {
        ctx.writeAndFlush(m);
    }

    private void fail(String reason) {
        if (!closed) {
            log.warn("closing RTMP client {} from {}: {}", clientId, remoteText(), reason);
        }
        closed = true;
        ctx.close();
    }

    private StreamKey streamKey(String raw) {
        if (raw == null) {
            return null;
        }
        String name = trimSlashes(QueryParams.stripQuery(raw));
        try {
            // Some clients put the app in the stream name ("live/stream").
            return name.indexOf('/') >= 0 ? StreamKey.of(app + "/" + name.substring(0, name.lastIndexOf('/')),
                    name.substring(name.lastIndexOf('/') + 1)) : StreamKey.of(app, name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String appFromTcUrl(String tcUrl) {
        String u = QueryParams.stripQuery(tcUrl);
        int scheme = u.indexOf("://");
        if (scheme < 0) {
            return "";
        }
        int slash = u.indexOf('/', scheme + 3);
        return slash < 0 ? "" : trimSlashes(u.substring(slash + 1));
    }

    private static String trimSlashes(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && s.charAt(a) == '/') {
            a++;
        }
        while (b > a && s.charAt(b - 1) == '/') {
            b--;
        }
        return s.substring(a, b);
    }

    private static String stringOr(Object o, String fallback) {
        return o instanceof String ? (String) o : fallback;
    }

    private InetSocketAddress remote() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress
                ? (InetSocketAddress) ctx.channel().remoteAddress() : null;
    }

    private String remoteText() {
        return String.valueOf(ctx.channel().remoteAddress());
    }
}

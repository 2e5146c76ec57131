package io.livehub.rtmp.internal;

import io.livehub.flv.FlvTagType;
import io.livehub.hub.StreamBusyException;
import io.livehub.hub.Subscription;
import io.livehub.media.EgressForm;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpConfig;
import io.livehub.rtmp.amf.AmfObject;
import io.livehub.rtmp.amf.AmfUndefined;
import io.livehub.rtmp.chunk.RtmpAcknowledgementDueEvent;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpDataMessage;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.livehub.rtmp.message.RtmpUserControlEvent;
import io.livehub.session.ClientSession;
import io.livehub.session.ConnectRequest;
import io.livehub.session.SessionClosedException;
import io.livehub.session.SessionDeniedException;
import io.livehub.spi.ServerContext;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server side of one RTMP connection after the handshake: the NetConnection and
 * NetStream commands of RTMP spec §7.2, on top of the client's {@link ClientSession}, which
 * takes the decisions, calls the hub and fires the events. Media goes through
 * {@link RtmpIngest} (a publisher) or {@link RtmpEgress} (a player).
 *
 * <p>Connect, publish and play wait for the session without blocking the event loop: reading
 * pauses and messages that already arrived are held (up to {@link RtmpConfig#maxPendingBytes()})
 * until the answer comes. A publisher gets {@code NetStream.Publish.Start} only after it was
 * allowed.
 *
 * <p>Thread-safety: confined to the channel's event loop.
 */
public final class RtmpServerHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RtmpServerHandler.class);

    private final ServerContext server;
    private final RtmpConfig config;
    private final TrafficCounter traffic;
    private final String protocol;
    private final EgressForm chunkForm;

    private ChannelHandlerContext ctx;
    private ClientSession session;
    private boolean connectRequested;
    private boolean connected;
    private String app;

    private boolean waiting;
    private final ArrayDeque<RtmpMessage> pending = new ArrayDeque<>();
    private long pendingBytes;

    private RtmpIngest ingest;
    private Subscription subscription;
    private boolean closed;

    public RtmpServerHandler(ServerContext server, RtmpConfig config, TrafficCounter traffic) {
        this.server = server;
        this.config = config;
        this.traffic = traffic;
        this.protocol = config.sslContext() != null ? "rtmps" : "rtmp";
        this.chunkForm = RtmpChunkForm.form(server.hub().egressForms(), config.chunkSize());
    }

    /** Returns the client's session; null before the handler was added to a pipeline. */
    public ClientSession session() {
        return session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        session = server.sessions().open(protocol, remote(), ctx.executor());
        session.countTraffic(traffic::bytesIn, traffic::bytesOut);
        session.onKick(() -> ctx.channel().close());
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
                    if (ingest != null) {
                        ingest.onData(RtmpDataMessage.decode(m, config.amfLimits()));
                    }
                    break;
                case RtmpMessageType.AUDIO:
                    if (ingest != null) {
                        ingest.onMedia(FlvTagType.AUDIO, m.timestamp(), m.content());
                    }
                    break;
                case RtmpMessageType.VIDEO:
                    if (ingest != null) {
                        ingest.onMedia(FlvTagType.VIDEO, m.timestamp(), m.content());
                    }
                    break;
                case RtmpMessageType.AGGREGATE:
                    if (ingest != null) {
                        ingest.onAggregate(m);
                    }
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
                write(RtmpStatus.result(ctx.alloc(), cmd.transactionId(), null, (double) RtmpChunkForm.STREAM_ID));
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
                if (ingest != null) {
                    stopPublishing(true);
                }
                if (cmd.transactionId() > 0) {
                    write(RtmpStatus.result(ctx.alloc(), cmd.transactionId(), null, AmfUndefined.INSTANCE));
                }
                break;
            case "deleteStream":
            case "closeStream":
                if (ingest != null) {
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
                log.debug("client {} sent command {}; ignored", session.id(), cmd.name());
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
        String appName = QueryParams.trimSlashes(QueryParams.stripQuery(rawApp));
        if (appName.isEmpty()) {
            appName = appFromTcUrl(tcUrl);
        }
        double tid = cmd.transactionId();
        Object encoding = o.get("objectEncoding");
        String requested = appName;
        await(session.connect(new ConnectRequest(QueryParams.stripQuery(tcUrl), pageUrl, appName, params)), (s, t) -> {
            if (t != null) {
                rejectConnect(cmd, reason(t));
                return;
            }
            connected = true;
            app = requested;
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
        if (ingest != null || subscription != null || waiting) {
            throw new MalformedMediaException("publish while already publishing or playing");
        }
        StreamKey key = streamKey(raw);
        if (key == null) {
            statusAndClose(streamId, RtmpStatus.PUBLISH_BAD_NAME, "invalid stream name");
            return;
        }
        Map<String, String> params = QueryParams.parse(QueryParams.queryOf(raw));
        await(session.publish(key, params), (publication, t) -> {
            if (t instanceof StreamBusyException) {
                statusAndClose(streamId, RtmpStatus.PUBLISH_BAD_NAME, "stream " + key.path() + " is already publishing");
                return;
            }
            if (t != null) {
                statusAndClose(streamId, RtmpStatus.PUBLISH_DENIED, "publish denied: " + reason(t));
                return;
            }
            ingest = new RtmpIngest(publication);
            ctx.write(RtmpUserControlEvent.streamBegin(streamId).toMessage(ctx.alloc(), 0));
            write(RtmpStatus.onStatus(ctx.alloc(), streamId, "status", RtmpStatus.PUBLISH_START,
                    "Started publishing stream."));
        });
    }

    private void onPlay(RtmpCommand cmd, int streamId) {
        String raw = cmd.stringArgument(0);
        if (ingest != null || subscription != null || waiting) {
            throw new MalformedMediaException("play while already publishing or playing");
        }
        StreamKey key = streamKey(raw);
        if (key == null) {
            statusAndClose(streamId, RtmpStatus.PLAY_STREAM_NOT_FOUND, "invalid stream name");
            return;
        }
        Map<String, String> params = QueryParams.parse(QueryParams.queryOf(raw));
        // The stage completes on this loop before the hub delivers anything, so the play status
        // goes out ahead of the first frame.
        await(session.play(key, params, new RtmpEgress(ctx, traffic, chunkForm)), (sub, t) -> {
            if (t != null) {
                statusAndClose(streamId, RtmpStatus.PLAY_FAILED, "play denied: " + reason(t));
                return;
            }
            subscription = sub;
            ctx.write(RtmpUserControlEvent.streamBegin(streamId).toMessage(ctx.alloc(), 0));
            ctx.write(RtmpStatus.onStatus(ctx.alloc(), streamId, "status", RtmpStatus.PLAY_RESET,
                    "Playing and resetting " + key.path() + "."));
            ctx.write(RtmpStatus.onStatus(ctx.alloc(), streamId, "status", RtmpStatus.PLAY_START,
                    "Started playing " + key.path() + "."));
            ctx.write(new RtmpDataMessage("|RtmpSampleAccess", List.of(true, true))
                    .toMessage(ctx.alloc(), streamId, 0));
            ctx.flush();
        });
    }

    // ---- stopping ----

    private void stopPublishing(boolean tellClient) {
        ingest = null;
        session.stopPublishing();
        if (tellClient && ctx.channel().isActive()) {
            write(RtmpStatus.onStatus(ctx.alloc(), RtmpChunkForm.STREAM_ID, "status", RtmpStatus.UNPUBLISH_SUCCESS,
                    "Stopped publishing stream."));
        }
    }

    private void stopPlaying() {
        subscription = null;
        session.stopPlaying();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        releasePending();
        ingest = null;
        subscription = null;
        session.close();
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
                log.info("client {} from {} idle for {}; closing", session.id(), remoteText(), config.idleTimeout());
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
            session.badInput(cause.getMessage());
            closed = true;
            ctx.close();
        } else if (cause instanceof java.io.IOException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            log.debug("client {} connection error: {}", session.id(), cause.toString());
            ctx.close();
        } else {
            log.warn("client {} from {} failed; closing", session.id(), remoteText(), cause);
            ctx.close();
        }
    }

    // ---- helpers ----

    /**
     * Pauses reading until {@code stage} completes (on this loop, as every session stage does),
     * then runs {@code then} and handles the messages that arrived meanwhile.
     */
    private <T> void await(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        waiting = true;
        ctx.channel().config().setAutoRead(false);
        stage.whenComplete((value, t) -> {
            waiting = false;
            if (closed || !ctx.channel().isActive() || t instanceof SessionClosedException) {
                releasePending();
                return;
            }
            ctx.channel().config().setAutoRead(true);
            then.accept(value, t);
            ctx.flush();
            while (!waiting && !closed && !pending.isEmpty()) {
                RtmpMessage m = pending.poll();
                pendingBytes -= m.content().readableBytes();
                handle(m);
            }
        });
    }

    private static String reason(Throwable t) {
        return t instanceof SessionDeniedException d ? d.reason() : t.toString();
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
            session.badInput(reason);
        }
        closed = true;
        ctx.close();
    }

    private StreamKey streamKey(String raw) {
        if (raw == null) {
            return null;
        }
        String name = QueryParams.trimSlashes(QueryParams.stripQuery(raw));
        try {
            // Some clients put the app in the stream name ("live/stream").
            return name.indexOf('/') >= 0
                    ? session.streamKey(app + "/" + name.substring(0, name.lastIndexOf('/')),
                            name.substring(name.lastIndexOf('/') + 1))
                    : session.streamKey(app, name);
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
        return slash < 0 ? "" : QueryParams.trimSlashes(u.substring(slash + 1));
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

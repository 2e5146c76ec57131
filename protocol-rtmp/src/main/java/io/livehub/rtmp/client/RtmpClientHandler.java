package io.livehub.rtmp.client;

import io.livehub.flv.FlvMediaDecoder;
import io.livehub.flv.FlvTagType;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.MediaSink;
import io.livehub.media.Track;
import io.livehub.rtmp.amf.AmfObject;
import io.livehub.rtmp.chunk.RtmpAcknowledgementDueEvent;
import io.livehub.rtmp.handshake.RtmpHandshakeCompletedEvent;
import io.livehub.rtmp.message.RtmpAggregate;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpDataMessage;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.livehub.rtmp.message.RtmpUserControlEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the client side of one RTMP connection after the handshake (RTMP spec §7.2): sends
 * Set Chunk Size and {@code connect}, then {@code releaseStream}, {@code FCPublish},
 * {@code createStream} and {@code publish}, or {@code createStream}, Set Buffer Length and
 * {@code play}; completes the start stage on {@code NetStream.Publish.Start} or
 * {@code NetStream.Play.Start} and fails it on an {@code _error}, an error {@code onStatus},
 * a command timeout or a closed connection.
 *
 * <p>Along the way it answers Ping Request (§7.1.7), acknowledges received bytes when the
 * server's window is full (§5.4.3) and answers Set Peer Bandwidth with Window Acknowledgement
 * Size (§5.4.5). When playing it decodes audio, video, aggregate and metadata messages for the
 * {@link RtmpPlayListener}.
 *
 * <p>Ownership: releases every message it reads.
 *
 * <p>Thread-safety: confined to the channel's event loop, except {@link #requestClose()}.
 */
final class RtmpClientHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RtmpClientHandler.class);

    /** The buffer length a player announces with Set Buffer Length, as FFmpeg does (3 s). */
    private static final long BUFFER_LENGTH_MILLIS = 3000;
    /** The Enhanced RTMP codecs a player announces in {@code connect}: those FlvMediaDecoder reads. */
    private static final List<String> FOUR_CC_LIST = List.of("hvc1", "av01", "vp09");

    private enum Step { HANDSHAKE, CONNECT, CREATE_STREAM, START, ACTIVE, CLOSED }

    private final RtmpClientConfig config;
    private final RtmpUrl url;
    private final RtmpPublishSession publishing;
    private final RtmpPlaySession playing;
    private final RtmpPlayListener listener;
    private final CompletableFuture<Void> started;

    private ChannelHandlerContext ctx;
    private Step step = Step.HANDSHAKE;
    private double lastTransactionId;
    private double connectTid;
    private double createStreamTid;
    private double startTid;
    private int streamId;
    private ScheduledFuture<?> timer;
    private Throwable cause;
    private boolean closeRequested;
    private long peerBandwidth = -1;
    private FlvMediaDecoder decoder;

    private RtmpClientHandler(RtmpClientConfig config, RtmpUrl url, RtmpPublishSession publishing,
            RtmpPlaySession playing, RtmpPlayListener listener, CompletableFuture<Void> started) {
        this.config = config;
        this.url = url;
        this.publishing = publishing;
        this.playing = playing;
        this.listener = listener;
        this.started = started;
    }

    /** Returns a handler that publishes to {@code url} for {@code session}. */
    static RtmpClientHandler forPublish(RtmpClientConfig config, RtmpUrl url, RtmpPublishSession session,
            CompletableFuture<Void> started) {
        return new RtmpClientHandler(config, url, session, null, null, started);
    }

    /** Returns a handler that plays {@code url} for {@code session}, delivering to {@code listener}. */
    static RtmpClientHandler forPlay(RtmpClientConfig config, RtmpUrl url, RtmpPlaySession session,
            RtmpPlayListener listener, CompletableFuture<Void> started) {
        return new RtmpClientHandler(config, url, null, session, listener, started);
    }

    private String mode() {
        return publishing != null ? "publish" : "play";
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // ---- connection events ----

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof RtmpHandshakeCompletedEvent) {
            onHandshakeDone();
        } else if (evt instanceof RtmpAcknowledgementDueEvent ack) {
            ctx.writeAndFlush(RtmpProtocolControl.acknowledgement(ctx.alloc(), ack.sequenceNumber()));
        } else if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            fail(new RtmpClientException("TLS handshake with " + url.host() + ":" + url.port() + " failed: "
                    + tls.cause().getMessage(), tls.cause()));
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    private void onHandshakeDone() {
        if (step != Step.HANDSHAKE) {
            return;
        }
        step = Step.CONNECT;
        ctx.write(RtmpProtocolControl.setChunkSize(ctx.alloc(), config.chunkSize()));
        String flashVer = config.flashVersion() != null ? config.flashVersion()
                : publishing != null ? RtmpClientConfig.PUBLISH_FLASH_VERSION : RtmpClientConfig.PLAY_FLASH_VERSION;
        AmfObject o = new AmfObject().with("app", url.app()).with("type", "nonprivate").with("flashVer", flashVer)
                .with("tcUrl", url.tcUrl());
        if (playing != null) {
            // The capabilities FFmpeg announces when playing (RTMP spec §7.2.1.1, table of
            // connect properties): every audio and video codec flag, and seek support.
            o.with("fpad", false).with("capabilities", 15.0).with("audioCodecs", 4071.0)
                    .with("videoCodecs", 252.0).with("videoFunction", 1.0).with("fourCcList", FOUR_CC_LIST);
        }
        connectTid = nextTransactionId();
        send("connect", connectTid, 0, o);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (step != Step.CLOSED) {
                handle(m);
            }
        } catch (MalformedMediaException e) {
            fail(new RtmpClientException(url + " sent a malformed " + RtmpMessageType.name(m.typeId())
                    + " message: " + e.getMessage(), e));
        } finally {
            m.release();
        }
    }

    private void handle(RtmpMessage m) {
        switch (m.typeId()) {
            case RtmpMessageType.AMF0_COMMAND:
            case RtmpMessageType.AMF3_COMMAND:
                onCommand(RtmpCommand.decode(m, config.amfLimits()));
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
            case RtmpMessageType.SET_PEER_BANDWIDTH:
                long window = RtmpProtocolControl.readWindowSize(m);
                if (window != peerBandwidth) {
                    peerBandwidth = window;
                    ctx.writeAndFlush(RtmpProtocolControl.windowAckSize(ctx.alloc(), window));
                }
                break;
            default:
                // Set Chunk Size, Abort and Window Acknowledgement Size act in the chunk decoder;
                // acknowledgements and shared objects need no answer.
                break;
        }
    }

    // ---- commands ----

    private void onCommand(RtmpCommand cmd) {
        switch (cmd.name()) {
            case "_result":
                onResult(cmd);
                break;
            case "_error":
                onError(cmd);
                break;
            case "onStatus":
                onStatus(cmd);
                break;
            default:
                // onBWDone, onFCPublish, _checkbw, close, ... carry nothing this client needs.
                log.debug("{} sent command {}; ignored", url, cmd.name());
                break;
        }
    }

    private void onResult(RtmpCommand cmd) {
        double tid = cmd.transactionId();
        if (step == Step.CONNECT && tid == connectTid) {
            step = Step.CREATE_STREAM;
            if (publishing != null) {
                // FFmpeg and OBS send these before createStream; servers that keep per-stream
                // state (SRS, nginx-rtmp) expect them, and their answers need no waiting for.
                send("releaseStream", nextTransactionId(), 0, null, url.stream());
                send("FCPublish", nextTransactionId(), 0, null, url.stream());
            }
            createStreamTid = nextTransactionId();
            send("createStream", createStreamTid, 0, null);
        } else if (step == Step.CREATE_STREAM && tid == createStreamTid) {
            if (!(cmd.argument(0) instanceof Number id)) {
                fail(new RtmpClientException(url + " answered createStream without a stream id"));
                return;
            }
            streamId = id.intValue();
            step = Step.START;
            startTid = nextTransactionId();
            if (publishing != null) {
                send("publish", startTid, streamId, null, url.stream(), "live");
            } else {
                ctx.write(RtmpUserControlEvent.setBufferLength(streamId, BUFFER_LENGTH_MILLIS).toMessage(ctx.alloc(), 0));
                // Start -2: a live stream if there is one, else a recorded one (RTMP spec §7.2.2.1).
                send("play", startTid, streamId, null, url.stream(), -2.0);
            }
        }
    }

    private void onError(RtmpCommand cmd) {
        double tid = cmd.transactionId();
        String command;
        if (tid == connectTid && step == Step.CONNECT) {
            command = "connect";
        } else if (tid == createStreamTid && step == Step.CREATE_STREAM) {
            command = "createStream";
        } else if (tid == startTid && step == Step.START) {
            command = mode();
        } else {
            // releaseStream and FCPublish may be refused by servers that do not know them.
            log.debug("{} answered transaction {} with _error; ignored", url, tid);
            return;
        }
        fail(statusException(command, cmd.argument(0)));
    }

    private void onStatus(RtmpCommand cmd) {
        Map<?, ?> info = cmd.argument(0) instanceof Map<?, ?> m ? m : Map.of();
        String level = string(info.get("level"));
        String code = string(info.get("code"));
        String description = string(info.get("description"));
        boolean error = level.equals("error");
        if (step == Step.START) {
            if (publishing != null && code.equals("NetStream.Publish.Start")
                    || playing != null && code.equals("NetStream.Play.Start")) {
                onStarted();
            } else if (error || code.equals("NetStream.Publish.BadName") || code.equals("NetStream.Play.StreamNotFound")
                    || code.equals("NetStream.Play.Failed")) {
                fail(new RtmpStatusException(mode(), level, code, description));
            }
            return;
        }
        if (step != Step.ACTIVE) {
            return;
        }
        if (error) {
            fail(new RtmpStatusException(mode(), level, code, description));
            return;
        }
        if (playing != null) {
            callListener(() -> listener.onStatus(level, code, description));
            if (code.equals("NetStream.Play.UnpublishNotify") || code.equals("NetStream.Play.Stop")) {
                callListener(listener::onUnpublish);
            }
        }
    }

    private void onStarted() {
        step = Step.ACTIVE;
        cancelTimer();
        if (publishing != null) {
            publishing.started(streamId);
        } else {
            decoder = new FlvMediaDecoder();
            playing.started(streamId);
        }
        log.info("{} {} over {}", publishing != null ? "publishing to" : "playing", url, url.isSecure() ? "rtmps" : "rtmp");
        started.complete(null);
    }

    // ---- play: data and media ----

    private void onData(RtmpDataMessage data) {
        if (playing == null || step != Step.ACTIVE) {
            return;
        }
        RtmpDataMessage inner = data.unwrapSetDataFrame();
        if (RtmpDataMessage.ON_META_DATA.equals(inner.name())) {
            Map<String, Object> md = inner.firstMap();
            if (md != null) {
                Map<String, Object> view = Collections.unmodifiableMap(md);
                callListener(() -> listener.onMetadata(view));
            }
        }
    }

    private void onMedia(FlvTagType type, long timestamp, ByteBuf body) {
        if (playing == null || step != Step.ACTIVE) {
            return;
        }
        decoder.decode(type, timestamp, body, sink);
    }

    /** Hands what the decoder makes to the listener; a frame is released after the listener saw it. */
    private final MediaSink sink = new MediaSink() {
        @Override
        public void onTrack(Track t) {
            callListener(() -> listener.onTrack(t));
        }

        @Override
        public void onFrame(MediaFrame f) {
            try {
                playing.onFrame();
                callListener(() -> listener.onFrame(f));
            } finally {
                f.release();
            }
        }
    };

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

    private void callListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("RTMP play listener for {} threw", url, e);
        }
    }

    // ---- closing ----

    /**
     * Ends the session politely: {@code FCUnpublish} and {@code deleteStream} when publishing,
     * {@code deleteStream} when playing, then closes the connection once they are written. May
     * be called from any thread, any number of times.
     */
    void requestClose() {
        if (ctx == null) {
            return;
        }
        if (!ctx.executor().inEventLoop()) {
            try {
                ctx.executor().execute(this::requestClose);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down and closes the channel itself.
            }
            return;
        }
        if (closeRequested || step == Step.CLOSED) {
            return;
        }
        closeRequested = true;
        if (step == Step.ACTIVE && ctx.channel().isActive()) {
            if (publishing != null) {
                ctx.write(command("FCUnpublish", nextTransactionId(), 0, null, url.stream()));
            }
            ctx.writeAndFlush(command("deleteStream", nextTransactionId(), 0, null, (double) streamId))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        Throwable c = t instanceof DecoderException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof RtmpClientException rce) {
            fail(rce);
        } else if (c instanceof MalformedMediaException) {
            fail(new RtmpClientException("protocol error with " + url + ": " + c.getMessage(), c));
        } else if (c instanceof javax.net.ssl.SSLException) {
            fail(new RtmpClientException("TLS error with " + url.host() + ":" + url.port() + ": " + c.getMessage(), c));
        } else {
            fail(new RtmpClientException("connection to " + url + " failed: " + c, c));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Step was = step;
        step = Step.CLOSED;
        cancelTimer();
        Throwable c = cause;
        if (c == null && !closeRequested) {
            c = new RtmpClientException(was == Step.HANDSHAKE
                    ? "connection to " + url + " closed during the RTMP handshake"
                    : was == Step.ACTIVE ? "connection to " + url + " closed by the server"
                    : "connection to " + url + " closed before the server answered " + awaited(was));
        }
        if (!started.isDone()) {
            started.completeExceptionally(c != null ? c
                    : new RtmpClientException("connection to " + url + " closed before " + mode() + " started"));
        } else if (publishing != null) {
            publishing.closed(c);
        } else {
            Throwable end = c;
            callListener(() -> listener.onClose(end));
            playing.closed(end);
        }
        super.channelInactive(ctx);
    }

    /** Records why the session ends (the first reason wins), logs it, and closes the connection. */
    private void fail(Throwable t) {
        if (cause == null && !closeRequested) {
            cause = t;
            if (step == Step.ACTIVE) {
                log.warn("{} session with {} ends: {}", mode(), url, t.getMessage());
            } else {
                log.debug("{} to {} failed: {}", mode(), url, t.getMessage());
            }
        }
        ctx.close();
    }

    // ---- helpers ----

    private double nextTransactionId() {
        return ++lastTransactionId;
    }

    private RtmpMessage command(String name, double tid, int messageStreamId, Object commandObject, Object... args) {
        return RtmpCommand.of(name, tid, commandObject, args).toMessage(ctx.alloc(), messageStreamId);
    }

    /** Sends a command and arms the timeout for the step it starts. */
    private void send(String name, double tid, int messageStreamId, Object commandObject, Object... args) {
        ctx.writeAndFlush(command(name, tid, messageStreamId, commandObject, args));
        if (name.equals("connect") || name.equals("createStream") || name.equals("publish") || name.equals("play")) {
            armTimer(name);
        }
    }

    private void armTimer(String command) {
        cancelTimer();
        long millis = config.commandTimeout().toMillis();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            fail(new RtmpClientException(url + " did not answer " + command + " within " + millis + " ms"));
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private String awaited(Step s) {
        return switch (s) {
            case CONNECT -> "connect";
            case CREATE_STREAM -> "createStream";
            default -> mode();
        };
    }

    private static RtmpStatusException statusException(String command, Object infoObject) {
        Map<?, ?> info = infoObject instanceof Map<?, ?> m ? m : Map.of();
        String level = string(info.get("level"));
        return new RtmpStatusException(command, level.isEmpty() ? "error" : level, string(info.get("code")),
                string(info.get("description")));
    }

    private static String string(Object o) {
        return o instanceof String s ? s : "";
    }
}

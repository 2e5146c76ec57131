package io.livehub.rtmp.handshake;

import io.livehub.util.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the parts that the server and client handshakes (RTMP spec §5.2) share: the timeout, the
 * log line and close on failure, and the hand-over after completion, when the handler fires
 * {@link RtmpHandshakeCompletedEvent}, removes itself and lets {@link ByteToMessageDecoder} pass
 * the bytes that followed the handshake to the next handler.
 *
 * <p>Thread-safety: one instance per channel, used on its event loop.
 */
abstract class AbstractHandshakeHandler extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger("io.livehub.rtmp.handshake");
    /** Stalled and broken handshakes are what a flood of bad clients causes: one line per cause per 10 s. */
    private static final RateLimitedLog LIMITED = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    /** The version byte of C0 and S0 for plain RTMP (RTMP spec §5.2.2). */
    static final int RTMP_VERSION = 3;

    final RtmpHandshakeConfig config;
    private ScheduledFuture<?> timeout;
    private boolean started;
    private boolean finished;
    private long bytesReceived;

    AbstractHandshakeHandler(RtmpHandshakeConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
    }

    /** Starts the handshake on an active channel: arms the timeout and, for a client, sends C0 and C1. */
    abstract void start(ChannelHandlerContext ctx);

    /** Consumes handshake bytes; calls {@link #complete} when done. */
    abstract void step(ChannelHandlerContext ctx, ByteBuf in);

    abstract String side();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        begin(ctx);
        super.channelActive(ctx);
    }

    private void begin(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        long nanos = config.timeout().toNanos();
        timeout = ctx.executor().schedule(() -> {
            if (!finished) {
                finished = true;
                LIMITED.warn("timeout", "Closing RTMP connection {} {}: {} handshake not done within {} ms ({} bytes received)",
                        side().equals("server") ? "from" : "to", ctx.channel().remoteAddress(), side(),
                        config.timeout().toMillis(), bytesReceived);
                ctx.close();
            }
        }, nanos, TimeUnit.NANOSECONDS);
        start(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            bytesReceived += b.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            // Failed or timed out: the connection is closing.
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            step(ctx, in);
        } catch (RtmpHandshakeException e) {
            finished = true;
            cancelTimeout();
            in.skipBytes(in.readableBytes());
            LIMITED.warn("failed", "Closing RTMP connection {} {}: {} handshake failed: {}",
                    side().equals("server") ? "from" : "to", ctx.channel().remoteAddress(), side(), e.getMessage());
            ctx.close();
            throw e;
        }
    }

    /** Fires the completion event and removes this handler, which passes on the remaining bytes. */
    final void complete(ChannelHandlerContext ctx, RtmpHandshakeCompletedEvent event) {
        finished = true;
        cancelTimeout();
        LOG.debug("RTMP {} handshake with {} done: {}", side(), ctx.channel().remoteAddress(), event);
        ctx.fireUserEventTriggered(event);
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            finished = true;
            LIMITED.info("closed", "RTMP connection {} {} closed during the {} handshake after {} bytes",
                    side().equals("server") ? "from" : "to", ctx.channel().remoteAddress(), side(), bytesReceived);
        }
        cancelTimeout();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /** Checks the version byte of C0 or S0 (RTMP spec §5.2.2). */
    static void checkVersion(int version, String packet) {
        if (version == RTMP_VERSION) {
            return;
        }
        String hint;
        if (version == 6 || version == 8 || version == 9) {
            hint = " (an encrypted RTMPE handshake, which is not supported)";
        } else if (version >= 0x20 && version < 0x7F) {
            hint = " ('" + (char) version + "': text such as an HTTP request, not RTMP)";
        } else {
            hint = "";
        }
        throw new RtmpHandshakeException(String.format("%s version %d (0x%02x) is not 3%s", packet, version, version, hint));
    }

    static int now() {
        return (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }
}

package io.livehub.http;

import io.livehub.util.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request head (RFC 9112 section 2.1: request line and header
 * fields) is not complete within a deadline from its first byte, so that a client trickling
 * header bytes (slowloris) cannot hold a connection: the idle timeout restarts with every byte.
 *
 * <p>Two handlers of one instance per connection: {@link #bytes()} before the HTTP codec
 * starts the deadline at the first byte of a request, {@link #heads()} after it stops the
 * deadline when the codec has decoded the head, and re-arms for the next request of a
 * keep-alive connection at the request's end. Between requests only the idle timeout applies.
 *
 * <p>Thread-safety: the channel's event loop only.
 */
final class RequestHeadTimeout {

    private static final Logger log = LoggerFactory.getLogger(RequestHeadTimeout.class);
    private static final RateLimitedLog limited = new RateLimitedLog(log, Duration.ofSeconds(10));

    static final String BYTES_HANDLER = "headTimeoutBytes";
    static final String HEADS_HANDLER = "headTimeoutHeads";

    private enum State { BETWEEN_REQUESTS, IN_HEAD, IN_BODY }

    private final long timeoutNanos;
    private final LongAdder timeouts;
    private State state = State.BETWEEN_REQUESTS;
    private ScheduledFuture<?> timer;

    RequestHeadTimeout(Duration timeout, LongAdder timeouts) {
        this.timeoutNanos = timeout.toNanos();
        this.timeouts = timeouts;
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (state == State.BETWEEN_REQUESTS && msg instanceof ByteBuf b && b.isReadable()) {
                    state = State.IN_HEAD;
                    timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                cancel();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelDuplexHandler heads() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest) {
                    cancel();
                    state = State.IN_BODY;
                }
                if (msg instanceof LastHttpContent) {
                    state = State.BETWEEN_REQUESTS;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (state != State.IN_HEAD || !ctx.channel().isActive()) {
            return;
        }
        timeouts.increment();
        limited.info("head-timeout", "closing HTTP connection from {}: request head not complete within {} ms",
                ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        ctx.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}

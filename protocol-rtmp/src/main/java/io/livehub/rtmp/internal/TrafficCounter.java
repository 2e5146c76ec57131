package io.livehub.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes a connection received and was sent, for close events and statistics.
 * Sits first in the pipeline (after TLS), so it counts what crosses the socket.
 *
 * <p>Thread-safety: written on the channel's event loop; read from any thread.
 */
public final class TrafficCounter extends ChannelDuplexHandler {

    private volatile long bytesIn;
    private volatile long bytesOut;

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    /**
     * Counts bytes written from this handler's context, past the handler's {@code write}
     * (the fan-out path writes shared chunk runs that way). Call on the event loop.
     */
    public void countOut(int bytes) {
        bytesOut = bytesOut + bytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf) {
            bytesIn = bytesIn + ((ByteBuf) msg).readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf) {
            bytesOut = bytesOut + ((ByteBuf) msg).readableBytes();
        } else if (msg instanceof ByteBufHolder) {
            bytesOut = bytesOut + ((ByteBufHolder) msg).content().readableBytes();
        }
        ctx.write(msg, promise);
    }
}

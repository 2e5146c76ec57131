package io.livehub.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Plays one HTTP-FLV stream as a load client's player: sends {@code GET}, reads the response
 * head (at most {@link #MAX_HEAD} bytes), removes chunked coding if the server uses it, and
 * hands every FLV tag to its {@link PlayerStats} as an {@link FlvTagScanner} finds them,
 * without assembling them. A 200 response counts as playing; any other status fails the
 * player.
 *
 * <p>Ownership: releases every buffer it reads.
 *
 * <p>Thread-safety: one instance per channel, used on its event loop.
 */
final class HttpFlvLoadPlayer extends PlayerHandler implements FlvTagScanner.Listener {

    /** The longest response head accepted. */
    static final int MAX_HEAD = 16 * 1024;

    private final URI url;
    private final FlvTagScanner scanner = new FlvTagScanner(true, this);
    private ByteBuf head = Unpooled.buffer(256, MAX_HEAD);
    private ChunkedBodyDecoder chunked;

    HttpFlvLoadPlayer(URI url, LoadStats load, long playTimeoutMillis) {
        super(load, playTimeoutMillis);
        this.url = url;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nUser-Agent: livehub-loadclient\r\nAccept: */*\r\n\r\n";
        ctx.writeAndFlush(Unpooled.wrappedBuffer(request.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            stats().onBytes(in.readableBytes());
            if (head != null && !readHead(ctx, in)) {
                return;
            }
            if (chunked != null) {
                chunked.decode(in);
            } else {
                scanner.scan(in);
            }
        } catch (IllegalStateException e) {
            protocolError(ctx, "HTTP-FLV", e.getMessage());
        } finally {
            in.release();
        }
    }

    /** Reads head bytes; returns true once the head is complete and the player plays. */
    private boolean readHead(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            if (!head.isWritable()) {
                fail(ctx, "response head longer than " + MAX_HEAD + " bytes");
                in.skipBytes(in.readableBytes());
                return false;
            }
            head.writeByte(in.readByte());
            int n = head.writerIndex();
            if (n >= 4 && head.getByte(n - 1) == '\n' && head.getByte(n - 2) == '\r'
                    && head.getByte(n - 3) == '\n' && head.getByte(n - 4) == '\r') {
                String text = head.toString(0, n - 4, StandardCharsets.ISO_8859_1);
                head.release();
                head = null;
                HttpResponseHead response;
                try {
                    response = HttpResponseHead.parse(text);
                } catch (IllegalArgumentException e) {
                    fail(ctx, e.getMessage());
                    return false;
                }
                if (response.status() != 200) {
                    fail(ctx, "the server answered HTTP " + response.status());
                    return false;
                }
                if (response.chunked()) {
                    chunked = new ChunkedBodyDecoder(scanner::scan);
                }
                playing(ctx);
                return true;
            }
        }
        return false;
    }

    @Override
    public void onTag(int type, long timestamp, int size, byte[] tagHead, int headLength) {
        if (type == 9) {
            stats().onVideo(timestamp, tagHead, headLength);
        } else if (type == 8) {
            stats().onAudio(timestamp, tagHead, headLength);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (head != null) {
            head.release();
            head = null;
        }
        super.channelInactive(ctx);
    }
}

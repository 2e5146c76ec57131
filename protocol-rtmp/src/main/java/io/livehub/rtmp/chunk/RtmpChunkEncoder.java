package io.livehub.rtmp.chunk;

import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;

/**
 * Writes outgoing {@link RtmpMessage}s as chunks (RTMP spec §5.3) and passes {@link ByteBuf}s
 * through untouched, in the order they were written.
 *
 * <p>A {@code ByteBuf} written to the pipeline is taken to be a complete chunk run, typically one
 * built once by {@link RtmpChunkWriter} and shared by many connections; its chunk size must be
 * this encoder's {@link #chunkSize()}. Messages start with a type 0 header unless
 * {@link RtmpChunkConfig#compressHeaders()} is set; a passed-through run resets header compression,
 * so runs and messages never depend on each other's headers.
 *
 * <p>The outgoing chunk size starts at 128 (RTMP spec §5.4.1) and changes right after a Set Chunk
 * Size message passes through this encoder, so write Set Chunk Size before the messages that rely
 * on it. {@link #chunkSize(int)} changes it without telling the peer, for tests and for peers that
 * agreed otherwise.
 *
 * <p>Ownership: takes the reference of every message and buffer written, releasing messages after
 * encoding them (also when encoding fails) and handing buffers on.
 *
 * <p>Thread-safety: one instance per channel, used on its event loop.
 */
public class RtmpChunkEncoder extends ChannelOutboundHandlerAdapter {

    private final boolean compressHeaders;
    private final IntObjectHashMap<LastHeader> lastHeaders = new IntObjectHashMap<>();
    private int chunkSize = RtmpProtocolControl.DEFAULT_CHUNK_SIZE;

    /** Creates an encoder with {@link RtmpChunkConfig#DEFAULT}. */
    public RtmpChunkEncoder() {
        this(RtmpChunkConfig.DEFAULT);
    }

    /** Creates an encoder with the given configuration. */
    public RtmpChunkEncoder(RtmpChunkConfig config) {
        this.compressHeaders = config.compressHeaders();
    }

    /** Returns the outgoing chunk size. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Sets the outgoing chunk size without sending Set Chunk Size; call on the event loop. */
    public void chunkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + size);
        }
        this.chunkSize = size;
    }

    /**
     * Encodes an {@link RtmpMessage}, passes a {@link ByteBuf} or any other object on.
     *
     * <p>Ownership: takes {@code msg}'s reference.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof RtmpMessage m) {
            ByteBuf out;
            int newChunkSize = 0;
            try {
                if (m.typeId() == RtmpMessageType.SET_CHUNK_SIZE && m.content().readableBytes() >= 4) {
                    newChunkSize = RtmpProtocolControl.readChunkSize(m);
                }
                out = encode(ctx, m);
            } catch (RuntimeException e) {
                promise.setFailure(e);
                return;
            } finally {
                ReferenceCountUtil.release(m);
            }
            ctx.write(out, promise);
            if (newChunkSize > 0) {
                chunkSize = newChunkSize;
            }
        } else {
            if (msg instanceof ByteBuf) {
                resetHeaderCompression();
            }
            ctx.write(msg, promise);
        }
    }

    /**
     * Forgets the last header of every chunk stream, so the next message starts with a type 0
     * header. Call on the event loop after writing a complete chunk run past this encoder (from
     * a context before it in the pipeline); a run written through the encoder does this itself.
     */
    public void resetHeaderCompression() {
        // Cheap when nothing was compressed: clear() fills the map's arrays even when empty.
        if (!lastHeaders.isEmpty()) {
            lastHeaders.clear();
        }
    }

    private ByteBuf encode(ChannelHandlerContext ctx, RtmpMessage m) {
        int csid = RtmpChunkWriter.chunkStreamId(m);
        ByteBuf payload = m.content();
        int length = payload.readableBytes();
        int fmt = 0;
        long field = m.timestamp();
        if (compressHeaders) {
            LastHeader last = lastHeaders.get(csid);
            if (last != null && last.messageStreamId == m.messageStreamId() && m.timestamp() >= last.timestamp) {
                field = m.timestamp() - last.timestamp;
                fmt = last.typeId == m.typeId() && last.length == length ? 2 : 1;
            }
            if (last == null) {
                last = new LastHeader();
                lastHeaders.put(csid, last);
            }
            last.messageStreamId = m.messageStreamId();
            last.typeId = m.typeId();
            last.length = length;
            last.timestamp = m.timestamp();
        }
        ByteBuf out = ctx.alloc().ioBuffer(RtmpChunkWriter.runLength(length, csid, field, chunkSize));
        try {
            RtmpChunkWriter.writeRun(out, fmt, m.typeId(), m.messageStreamId(), field, payload, csid, chunkSize);
        } catch (RuntimeException e) {
            out.release();
            lastHeaders.remove(csid);
            throw e;
        }
        return out;
    }

    /** The header fields last written on one chunk stream. */
    private static final class LastHeader {
        int messageStreamId;
        int typeId;
        int length;
        long timestamp;
    }
}

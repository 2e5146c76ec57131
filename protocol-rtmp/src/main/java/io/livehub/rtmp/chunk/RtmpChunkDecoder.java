package io.livehub.rtmp.chunk;

import io.livehub.media.MalformedMediaException;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles incoming chunks (RTMP spec §5.3) into {@link RtmpMessage}s.
 *
 * <p>Reads basic headers of one, two and three bytes (chunk stream ids 2..65599, §5.3.1.1),
 * message headers of types 0 to 3 (§5.3.1.2) and extended timestamps (§5.3.1.3), accumulates
 * timestamp deltas per chunk stream, and reassembles messages whose chunks interleave with other
 * chunk streams. A type 3 chunk that starts a new message reuses the previous header and adds its
 * timestamp delta again; after a type 0 header that delta is the type 0 timestamp, as FFmpeg and
 * SRS read it. Continuation chunks of a message with an extended timestamp carry it again per the
 * spec; some older encoders leave it out, so the four bytes are taken as the extended timestamp
 * only when they repeat it.
 *
 * <p>Acts on two protocol control messages itself, then passes them up like any other message:
 * Set Chunk Size (§5.4.1; 0, bit 31 set, or above {@link RtmpChunkConfig#maxIncomingChunkSize()}
 * are refused) and Abort (§5.4.2, drops the partial message of that chunk stream). It also notes
 * the peer's Window Acknowledgement Size (§5.4.4) and fires {@link RtmpAcknowledgementDueEvent}
 * each time that many bytes have arrived since the last one.
 *
 * <p>Limits from {@link RtmpChunkConfig} are checked before memory is reserved. On malformed input
 * the decoder logs one line naming the peer, closes the channel, discards whatever else arrives
 * and throws {@link RtmpChunkException} (wrapped by Netty in a
 * {@link io.netty.handler.codec.DecoderException}) so that later handlers can count it.
 *
 * <p>Ownership: a message that fits in one chunk is a retained slice of the received bytes; a
 * longer one is copied into a buffer from the channel's allocator. The next handler owns every
 * message it receives. Partial messages are released when the handler is removed.
 *
 * <p>Thread-safety: one instance per channel, used on its event loop; {@link #bytesReceived()} may
 * be read from any thread.
 */
public class RtmpChunkDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(RtmpChunkDecoder.class);

    /** Message header lengths of formats 0 to 3 (RTMP spec §5.3.1.2). */
    private static final int[] HEADER_LENGTH = {11, 7, 3, 0};

    private final RtmpChunkConfig config;
    private final IntObjectHashMap<ChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = RtmpProtocolControl.DEFAULT_CHUNK_SIZE;
    private long pendingBytes;
    private volatile long bytesReceived;
    private long windowAckSize;
    private long acknowledgedAt;
    private boolean failed;

    /** Creates a decoder with {@link RtmpChunkConfig#DEFAULT}. */
    public RtmpChunkDecoder() {
        this(RtmpChunkConfig.DEFAULT);
    }

    /** Creates a decoder with the given configuration. */
    public RtmpChunkDecoder(RtmpChunkConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
    }

    /** Returns the incoming chunk size the peer set, 128 until it sends Set Chunk Size. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Returns all bytes this decoder has received, headers included. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Returns the window the peer set with Window Acknowledgement Size, 0 until it does. */
    public long windowAckSize() {
        return windowAckSize;
    }

    /** Counts the bytes, decodes, then fires {@link RtmpAcknowledgementDueEvent} when a window is full. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            bytesReceived += b.readableBytes();
        }
        super.channelRead(ctx, msg);
        long received = bytesReceived;
        if (windowAckSize > 0 && received - acknowledgedAt >= windowAckSize && !failed) {
            acknowledgedAt = received;
            ctx.fireUserEventTriggered(new RtmpAcknowledgementDueEvent(received & 0xFFFF_FFFFL));
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (decodeChunk(ctx, in, out)) {
                // one chunk per iteration
            }
        } catch (MalformedMediaException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            releasePartials();
            LOG.warn("Closing RTMP connection from {}: malformed chunk stream: {}", ctx.channel().remoteAddress(),
                    e.getMessage());
            ctx.close();
            throw e;
        }
    }

    /** Reads one chunk if it is complete; returns false when more bytes are needed. */
    private boolean decodeChunk(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (start >= end) {
            return false;
        }
        int b0 = in.getUnsignedByte(start);
        int fmt = b0 >>> 6;
        int csid = b0 & 0x3F;
        int pos = start + 1;
        if (csid == 0) {
            if (end - pos < 1) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos);
            pos += 1;
        } else if (csid == 1) {
            if (end - pos < 2) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos) + (in.getUnsignedByte(pos + 1) << 8);
            pos += 2;
        }
        if (end - pos < HEADER_LENGTH[fmt]) {
            return false;
        }
        ChunkStream cs = streams.get(csid);
        boolean isNew = cs == null;
        if (isNew) {
            if (fmt != 0) {
                throw new RtmpChunkException("chunk stream " + csid + " starts with a type " + fmt
                        + " header; its first chunk must have a type 0 header (RTMP spec §5.3.1.2)");
            }
            if (streams.size() >= config.maxChunkStreams()) {
                throw new RtmpChunkException("more than " + config.maxChunkStreams() + " chunk streams in use");
            }
            cs = new ChunkStream();
        }
        boolean continuation = cs.partial != null;
        if (continuation && fmt != 3) {
            throw new RtmpChunkException("type " + fmt + " header on chunk stream " + csid + " while "
                    + cs.partial.readableBytes() + " of " + cs.length + " bytes of a message are pending");
        }

        long field = cs.timestampField;
        int length = cs.length;
        int typeId = cs.typeId;
        int messageStreamId = cs.messageStreamId;
        if (fmt <= 2) {
            field = in.getUnsignedMedium(pos);
        }
        if (fmt <= 1) {
            length = in.getUnsignedMedium(pos + 3);
            typeId = in.getUnsignedByte(pos + 6);
        }
        if (fmt == 0) {
            messageStreamId = in.getIntLE(pos + 7);
        }
        pos += HEADER_LENGTH[fmt];

        boolean extended;
        if (fmt <= 2) {
            extended = field == RtmpChunkWriter.EXTENDED_TIMESTAMP_MARKER;
            if (extended) {
                if (end - pos < 4) {
                    return false;
                }
                field = in.getUnsignedInt(pos);
                pos += 4;
            }
        } else {
            extended = cs.extended;
            if (extended) {
                if (end - pos < 4) {
                    return false;
                }
                if (!continuation) {
                    field = in.getUnsignedInt(pos);
                    pos += 4;
                } else if (in.getUnsignedInt(pos) == cs.timestampField) {
                    pos += 4;
                }
            }
        }

        int received = continuation ? cs.partial.readableBytes() : 0;
        if (!continuation && length > config.maxMessageLength()) {
            throw new RtmpChunkException("message of " + length + " bytes on chunk stream " + csid
                    + " exceeds the limit of " + config.maxMessageLength());
        }
        int piece = Math.min(chunkSize, length - received);
        if (end - pos < piece) {
            return false;
        }

        // The chunk is complete: commit the header state.
        if (isNew) {
            streams.put(csid, cs);
        }
        if (!continuation) {
            cs.timestamp = fmt == 0 ? field : (cs.timestamp + field) & RtmpMessage.TIMESTAMP_MAX;
            cs.timestampField = field;
            cs.extended = extended;
            cs.length = length;
            cs.typeId = typeId;
            cs.messageStreamId = messageStreamId;
        }
        in.readerIndex(pos);

        ByteBuf payload;
        if (!continuation && piece == length) {
            payload = length == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice(length);
        } else {
            if (pendingBytes + piece > config.maxPendingBytes()) {
                throw new RtmpChunkException("more than " + config.maxPendingBytes()
                        + " bytes of incomplete messages pending");
            }
            if (!continuation) {
                // Reserve no more than has arrived: the buffer grows up to the announced length.
                cs.partial = ctx.alloc().buffer(Math.max(piece, Math.min(length, 4096)), length);
            }
            cs.partial.writeBytes(in, piece);
            pendingBytes += piece;
            if (cs.partial.readableBytes() < length) {
                return true;
            }
            payload = cs.partial;
            cs.partial = null;
            pendingBytes -= length;
        }
        RtmpMessage message = new RtmpMessage(typeId, messageStreamId, cs.timestamp, csid, payload);
        try {
            onProtocolControl(message);
        } catch (RuntimeException e) {
            message.release();
            throw e;
        }
        out.add(message);
        return true;
    }

    private void onProtocolControl(RtmpMessage message) {
        switch (message.typeId()) {
            case RtmpMessageType.SET_CHUNK_SIZE -> {
                int size;
                try {
                    size = RtmpProtocolControl.readChunkSize(message);
                } catch (MalformedMediaException e) {
                    throw new RtmpChunkException(e.getMessage());
                }
                if (size > config.maxIncomingChunkSize()) {
                    throw new RtmpChunkException("Set Chunk Size of " + size + " exceeds the limit of "
                            + config.maxIncomingChunkSize());
                }
                chunkSize = size;
            }
            case RtmpMessageType.ABORT -> {
                if (message.content().readableBytes() < 4) {
                    throw new RtmpChunkException("Abort message shorter than 4 bytes");
                }
                long target = RtmpProtocolControl.readAbortChunkStreamId(message);
                ChunkStream cs = target <= RtmpMessage.CSID_MAX ? streams.get((int) target) : null;
                if (cs != null && cs.partial != null) {
                    pendingBytes -= cs.partial.readableBytes();
                    cs.partial.release();
                    cs.partial = null;
                }
            }
            case RtmpMessageType.WINDOW_ACK_SIZE -> {
                if (message.content().readableBytes() < 4) {
                    throw new RtmpChunkException("Window Acknowledgement Size message shorter than 4 bytes");
                }
                windowAckSize = RtmpProtocolControl.readWindowSize(message);
            }
            default -> {
                // other messages are the session's business
            }
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartials();
    }

    private void releasePartials() {
        for (ChunkStream cs : streams.values()) {
            if (cs.partial != null) {
                cs.partial.release();
                cs.partial = null;
            }
        }
        pendingBytes = 0;
    }

    /** The header state of one chunk stream and its partly received message. */
    private static final class ChunkStream {
        /** Absolute timestamp of the current message. */
        long timestamp;
        /** The timestamp field of the last header: absolute for type 0, a delta otherwise. */
        long timestampField;
        boolean extended;
        int length;
        int typeId;
        int messageStreamId;
        ByteBuf partial;
    }
}

package io.livehub.bench.load;

import io.livehub.rtmp.message.RtmpMessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Follows an incoming RTMP chunk stream (RTMP spec §5.3) as it arrives, in pieces of any size,
 * tracking chunk headers only: audio and video messages (types 8 and 9) are counted and their
 * first {@link #HEAD_CAPTURE} bytes kept, never assembled; every other message (protocol and
 * user control, commands, data, at most {@link #MAX_CONTROL_LENGTH} bytes) is assembled and
 * passed on, as the session needs to read it.
 *
 * <p>Header handling follows {@link io.livehub.rtmp.chunk.RtmpChunkDecoder}: basic headers of
 * one to three bytes, message headers of types 0 to 3, timestamp deltas accumulated per chunk
 * stream (a type 3 header that starts a message adds the last delta again, the absolute
 * timestamp after a type 0 header), and extended timestamps, repeated on continuation chunks
 * only when the sender repeats them. Set Chunk Size (§5.4.1) and Abort (§5.4.2) take effect
 * here, before they are passed on.
 *
 * <p>Malformed input (a first chunk that is not type 0, a type 0..2 header in the middle of a
 * message, too many chunk streams, a control message over the limit, a bad chunk size) makes
 * {@link #scan} throw {@link IllegalStateException}; the scanner then ignores later input.
 *
 * <p>Memory: per chunk stream in use (players see four or five) a small header state and,
 * for audio and video, a {@link #HEAD_CAPTURE}-byte array; control messages are assembled in
 * a heap buffer of their length.
 *
 * <p>Ownership: {@link #scan} borrows its buffer and reads all of it. The listener owns each
 * control message payload it is given.
 *
 * <p>Thread-safety: not thread-safe; one scanner per connection, used on its event loop.
 */
public final class RtmpChunkScanner {

    /** Bytes of each media message passed to the listener: room for a video body header and a stamp. */
    public static final int HEAD_CAPTURE = FlvTagScanner.HEAD_CAPTURE;
    /** The largest non-media message assembled. */
    public static final int MAX_CONTROL_LENGTH = 1 << 20;
    /** The most chunk streams a peer may use. */
    public static final int MAX_CHUNK_STREAMS = 16;

    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
    private static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;
    private static final long TIMESTAMP_MASK = 0xFFFF_FFFFL;

    /**
     * Receives the messages of an RTMP chunk stream, on the scanner's thread.
     */
    public interface Listener {
        /**
         * Called when the last chunk of an audio or video message has arrived.
         *
         * @param typeId 8 audio or 9 video
         * @param timestamp the message timestamp in milliseconds, 32 bits
         * @param length the message length
         * @param head the first {@code headLength} bytes; valid only during the call
         * @param headLength {@code min(length, HEAD_CAPTURE)}
         */
        void onMedia(int typeId, long timestamp, int length, byte[] head, int headLength);

        /**
         * Called with every other message once it is complete.
         *
         * <p>Ownership: the listener owns {@code payload} and releases it.
         */
        void onMessage(int typeId, int messageStreamId, long timestamp, ByteBuf payload);
    }

    private enum State { HEADER, BODY, FAILED }

    private final Listener listener;
    private final ChunkStream[] streams = new ChunkStream[MAX_CHUNK_STREAMS];
    private final byte[] header = new byte[3 + 11 + 4];
    private int streamCount;
    private State state = State.HEADER;
    private int headerRead;
    private int chunkSize = 128;
    private ChunkStream current;
    private int pieceLeft;

    /** Creates a scanner that starts with the default chunk size of 128 (RTMP spec §5.4.1). */
    public RtmpChunkScanner(Listener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Returns the incoming chunk size. */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Scans all readable bytes of {@code in}, calling the listener for each message completed.
     *
     * <p>Ownership: {@code in} is borrowed; its reader index moves to its writer index.
     *
     * @throws IllegalStateException when the chunk stream is malformed; the rest is then ignored
     */
    public void scan(ByteBuf in) {
        try {
            while (in.isReadable()) {
                if (state == State.HEADER) {
                    readHeader(in);
                } else if (state == State.BODY) {
                    readBody(in);
                } else {
                    in.skipBytes(in.readableBytes());
                }
            }
        } catch (IllegalStateException e) {
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            releaseAll();
            throw e;
        }
    }

    /** Releases partly assembled messages; call when the connection closes. */
    public void release() {
        state = State.FAILED;
        releaseAll();
    }

    private void readHeader(ByteBuf in) {
        // Basic header: the first byte says how long it is.
        if (!fill(in, 1)) {
            return;
        }
        int csidBits = header[0] & 0x3F;
        int basic = csidBits == 0 ? 2 : csidBits == 1 ? 3 : 1;
        int fmt = (header[0] & 0xFF) >>> 6;
        int need = basic + MESSAGE_HEADER_LENGTH[fmt];
        if (!fill(in, need)) {
            return;
        }
        int csid = csidBits == 0 ? 64 + (header[1] & 0xFF)
                : csidBits == 1 ? 64 + (header[1] & 0xFF) + ((header[2] & 0xFF) << 8) : csidBits;
        ChunkStream cs = find(csid);
        if (cs == null && fmt != 0) {
            throw new IllegalStateException("chunk stream " + csid + " starts with a type " + fmt + " header");
        }
        boolean continuation = cs != null && cs.left > 0;
        if (continuation && fmt != 3) {
            throw new IllegalStateException("type " + fmt + " header on chunk stream " + csid
                    + " with " + cs.left + " bytes of a message pending");
        }
        int at = basic;
        long field = fmt == 3 ? cs.timestampField : u24(at);
        boolean extended = fmt == 3 ? cs.extended : field == EXTENDED_TIMESTAMP_MARKER;
        if (extended) {
            if (!fill(in, need + 4)) {
                return;
            }
        }
        // The header is complete.
        headerRead = 0;
        if (cs == null) {
            cs = add(csid);
        }
        int carry = 0;
        if (fmt <= 2) {
            if (extended) {
                field = u32(need);
            }
        } else if (extended) {
            long repeated = u32(need);
            if (!continuation) {
                field = repeated;
            } else if (repeated != cs.timestampField) {
                // Not a repeated extended timestamp: the four bytes are the body's.
                carry = 4;
            }
        }
        if (!continuation) {
            if (fmt <= 1) {
                cs.length = (int) u24(at + 3);
                cs.typeId = header[at + 6] & 0xFF;
            }
            if (fmt == 0) {
                cs.messageStreamId = (header[at + 7] & 0xFF) | (header[at + 8] & 0xFF) << 8
                        | (header[at + 9] & 0xFF) << 16 | (header[at + 10] & 0xFF) << 24;
                cs.timestamp = field;
            } else {
                cs.timestamp = (cs.timestamp + field) & TIMESTAMP_MASK;
            }
            cs.timestampField = field;
            cs.extended = extended;
            startMessage(cs);
        }
        current = cs;
        pieceLeft = Math.min(chunkSize, cs.left);
        state = State.BODY;
        int spill = 0;
        if (carry > 0) {
            int k = Math.min(carry, pieceLeft);
            consume(cs, Unpooled.wrappedBuffer(header, need, k));
            if (k < carry) {
                // The message ended inside those bytes: the rest starts the next chunk header.
                spill = carry - k;
                System.arraycopy(header, need + k, header, 0, spill);
            }
        }
        if (pieceLeft == 0) {
            endPiece();
            headerRead = spill;
        }
    }

    private void startMessage(ChunkStream cs) {
        cs.left = cs.length;
        cs.headRead = 0;
        boolean media = cs.typeId == RtmpMessageType.AUDIO || cs.typeId == RtmpMessageType.VIDEO;
        cs.media = media;
        if (media) {
            if (cs.head == null) {
                cs.head = new byte[HEAD_CAPTURE];
            }
        } else {
            if (cs.length > MAX_CONTROL_LENGTH) {
                throw new IllegalStateException("message of type " + cs.typeId + " has " + cs.length
                        + " bytes, more than " + MAX_CONTROL_LENGTH);
            }
            cs.payload = Unpooled.buffer(cs.length, cs.length);
        }
    }

    private void readBody(ByteBuf in) {
        int n = Math.min(pieceLeft, in.readableBytes());
        ByteBuf piece = in.readSlice(n);
        consume(current, piece);
        if (pieceLeft == 0) {
            endPiece();
        }
    }

    /** Takes bytes of the current piece. */
    private void consume(ChunkStream cs, ByteBuf piece) {
        int n = piece.readableBytes();
        if (cs.media) {
            int keep = Math.min(n, HEAD_CAPTURE - cs.headRead);
            if (keep > 0) {
                piece.readBytes(cs.head, cs.headRead, keep);
                cs.headRead += keep;
            }
        } else {
            cs.payload.writeBytes(piece, n);
        }
        pieceLeft -= n;
        cs.left -= n;
    }

    private void endPiece() {
        ChunkStream cs = current;
        state = State.HEADER;
        current = null;
        if (cs.left > 0) {
            return;
        }
        if (cs.media) {
            listener.onMedia(cs.typeId, cs.timestamp, cs.length, cs.head, cs.headRead);
            return;
        }
        ByteBuf payload = cs.payload;
        cs.payload = null;
        onControl(cs.typeId, payload);
        listener.onMessage(cs.typeId, cs.messageStreamId, cs.timestamp, payload);
    }

    private void onControl(int typeId, ByteBuf payload) {
        if (typeId == RtmpMessageType.SET_CHUNK_SIZE) {
            if (payload.readableBytes() < 4) {
                payload.release();
                throw new IllegalStateException("Set Chunk Size shorter than 4 bytes");
            }
            long size = payload.getUnsignedInt(payload.readerIndex());
            if (size < 1 || size > 0x7FFF_FFFF) {
                payload.release();
                throw new IllegalStateException("Set Chunk Size of " + size);
            }
            chunkSize = (int) size;
        } else if (typeId == RtmpMessageType.ABORT && payload.readableBytes() >= 4) {
            long target = payload.getUnsignedInt(payload.readerIndex());
            ChunkStream cs = target <= 65599 ? find((int) target) : null;
            if (cs != null && cs.left > 0) {
                cs.left = 0;
                if (cs.payload != null) {
                    cs.payload.release();
                    cs.payload = null;
                }
            }
        }
    }

    private ChunkStream find(int csid) {
        for (int i = 0; i < streamCount; i++) {
            if (streams[i].csid == csid) {
                return streams[i];
            }
        }
        return null;
    }

    private ChunkStream add(int csid) {
        if (streamCount == MAX_CHUNK_STREAMS) {
            throw new IllegalStateException("more than " + MAX_CHUNK_STREAMS + " chunk streams in use");
        }
        ChunkStream cs = new ChunkStream(csid);
        streams[streamCount++] = cs;
        return cs;
    }

    /** Copies header bytes until {@code n} are there; false when more input is needed. */
    private boolean fill(ByteBuf in, int n) {
        if (headerRead < n) {
            int k = Math.min(n - headerRead, in.readableBytes());
            in.readBytes(header, headerRead, k);
            headerRead += k;
        }
        return headerRead >= n;
    }

    private long u24(int at) {
        return ((header[at] & 0xFFL) << 16) | ((header[at + 1] & 0xFF) << 8) | (header[at + 2] & 0xFF);
    }

    private long u32(int at) {
        return ((header[at] & 0xFFL) << 24) | ((header[at + 1] & 0xFF) << 16) | ((header[at + 2] & 0xFF) << 8)
                | (header[at + 3] & 0xFF);
    }

    private void releaseAll() {
        for (int i = 0; i < streamCount; i++) {
            if (streams[i].payload != null) {
                streams[i].payload.release();
                streams[i].payload = null;
            }
        }
    }

    /** The header state of one chunk stream and its current message. */
    private static final class ChunkStream {
        final int csid;
        long timestamp;
        long timestampField;
        boolean extended;
        int length;
        int typeId;
        int messageStreamId;
        /** Bytes of the current message still to come; 0 between messages. */
        int left;
        boolean media;
        byte[] head;
        int headRead;
        ByteBuf payload;

        ChunkStream(int csid) {
            this.csid = csid;
        }
    }
}

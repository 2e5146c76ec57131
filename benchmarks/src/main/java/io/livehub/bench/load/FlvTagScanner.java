package io.livehub.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * Follows an FLV byte stream (Adobe FLV v10.1 §E.2, §E.4.1) as it arrives, in pieces of any
 * size, and reports every tag's type, timestamp, size and first bytes, without assembling or
 * copying the tag bodies.
 *
 * <p>Reads the 9-byte file header (signature {@code FLV}, version, flags, data offset) and skips
 * to the data offset, then alternates PreviousTagSize fields and tags: an 11-byte tag header,
 * then the body, of which the first {@link #HEAD_CAPTURE} bytes are kept for the listener. A
 * stream that is not FLV (bad signature, a tag type other than 8, 9 or 18, a tag larger than
 * {@link #MAX_TAG_SIZE}) stops the scanner: it throws {@link IllegalStateException} and ignores
 * later input.
 *
 * <p>Memory: a fixed 11-byte header array and a {@link #HEAD_CAPTURE}-byte head array.
 *
 * <p>Ownership: {@link #scan} borrows the buffer and reads all of it.
 *
 * <p>Thread-safety: not thread-safe; one scanner per connection, used on its event loop.
 */
public final class FlvTagScanner {

    /** Bytes of each tag body passed to the listener: room for a video body header and a stamp. */
    public static final int HEAD_CAPTURE = 80;
    /** The largest tag body accepted: the 24-bit DataSize field's range. */
    public static final int MAX_TAG_SIZE = 0xFFFFFF;

    private static final int FILE_HEADER = 9;
    private static final int TAG_HEADER = 11;

    /**
     * Receives the tags of an FLV stream, on the scanner's thread.
     */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called when a tag's body has arrived completely.
         *
         * @param type the tag type: 8 audio, 9 video, 18 script data
         * @param timestamp the tag timestamp in milliseconds, 32 bits with TimestampExtended
         * @param size the body size in bytes
         * @param head the first {@code headLength} bytes of the body; valid only during the call
         * @param headLength {@code min(size, HEAD_CAPTURE)}
         */
        void onTag(int type, long timestamp, int size, byte[] head, int headLength);
    }

    private enum State { FILE_HEADER, SKIP_TO_DATA, PREVIOUS_TAG_SIZE, TAG_HEADER, BODY, FAILED }

    private final Listener listener;
    private final byte[] header = new byte[TAG_HEADER];
    private final byte[] head = new byte[HEAD_CAPTURE];
    private State state;
    private int headerRead;
    private long left;
    private int tagType;
    private long timestamp;
    private int size;
    private int headRead;
    private long tags;

    /**
     * Creates a scanner.
     *
     * @param expectFileHeader true for a whole FLV stream, false for one that starts with the
     *     first PreviousTagSize field
     */
    public FlvTagScanner(boolean expectFileHeader, Listener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
        this.state = expectFileHeader ? State.FILE_HEADER : State.PREVIOUS_TAG_SIZE;
    }

    /** Returns how many complete tags were scanned. */
    public long tags() {
        return tags;
    }

    /**
     * Scans all readable bytes of {@code in}, calling the listener for each tag completed.
     *
     * <p>Ownership: {@code in} is borrowed; its reader index moves to its writer index.
     *
     * @throws IllegalStateException when the stream is not FLV; the scanner then ignores the rest
     */
    public void scan(ByteBuf in) {
        while (in.isReadable()) {
            switch (state) {
                case FILE_HEADER -> {
                    if (!fill(in, FILE_HEADER)) {
                        return;
                    }
                    if (header[0] != 'F' || header[1] != 'L' || header[2] != 'V') {
                        fail(in, "not an FLV stream: it does not start with 'FLV'");
                    }
                    long offset = readU32(header, 5);
                    if (offset < FILE_HEADER || offset > 1024) {
                        fail(in, "FLV data offset " + offset + " is outside 9..1024");
                    }
                    left = offset - FILE_HEADER;
                    headerRead = 0;
                    state = State.SKIP_TO_DATA;
                }
                case SKIP_TO_DATA -> {
                    int n = (int) Math.min(left, in.readableBytes());
                    in.skipBytes(n);
                    left -= n;
                    if (left == 0) {
                        state = State.PREVIOUS_TAG_SIZE;
                    }
                }
                case PREVIOUS_TAG_SIZE -> {
                    if (!fill(in, 4)) {
                        return;
                    }
                    headerRead = 0;
                    state = State.TAG_HEADER;
                }
                case TAG_HEADER -> {
                    if (!fill(in, TAG_HEADER)) {
                        return;
                    }
                    headerRead = 0;
                    tagType = header[0] & 0x1F;
                    if (tagType != 8 && tagType != 9 && tagType != 18) {
                        fail(in, "FLV tag type " + (header[0] & 0xFF) + " is not 8, 9 or 18 (after " + tags + " tags)");
                    }
                    size = ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
                    timestamp = ((header[4] & 0xFFL) << 16) | ((header[5] & 0xFF) << 8) | (header[6] & 0xFF)
                            | ((header[7] & 0xFFL) << 24);
                    left = size;
                    headRead = 0;
                    state = State.BODY;
                    if (size == 0) {
                        complete();
                    }
                }
                case BODY -> {
                    int n = (int) Math.min(left, in.readableBytes());
                    int keep = Math.min(n, HEAD_CAPTURE - headRead);
                    if (keep > 0) {
                        in.readBytes(head, headRead, keep);
                        headRead += keep;
                        in.skipBytes(n - keep);
                    } else {
                        in.skipBytes(n);
                    }
                    left -= n;
                    if (left == 0) {
                        complete();
                    }
                }
                case FAILED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new AssertionError(state);
            }
        }
    }

    private void complete() {
        tags++;
        state = State.PREVIOUS_TAG_SIZE;
        listener.onTag(tagType, timestamp, size, head, headRead);
    }

    /** Copies header bytes until {@code n} are there; false when more input is needed. */
    private boolean fill(ByteBuf in, int n) {
        int k = Math.min(n - headerRead, in.readableBytes());
        in.readBytes(header, headerRead, k);
        headerRead += k;
        return headerRead == n;
    }

    private void fail(ByteBuf in, String message) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        throw new IllegalStateException(message);
    }

    private static long readU32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}

package io.livehub.flv;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/**
 * Reads FLV tags one at a time from a growing buffer (Adobe FLV v10.1, Annex E.3 "The FLV
 * file body" and E.4.1 "FLV tags"): each call takes one tag and the PreviousTagSize after
 * it, or returns null when the buffer does not hold a whole tag yet, so it works on a file
 * read in full and on an HTTP-FLV response arriving in pieces alike.
 *
 * <p>The decoder expects the FLV header first unless made with {@code expectHeader} false,
 * as when reading tags that follow a header already consumed.
 *
 * <p>Limits: a tag whose DataSize exceeds {@link #maxTagSize()} is rejected as soon as its
 * 11-byte header is readable, before any of its body is waited for. PreviousTagSize is not
 * checked against the tag: the spec makes it redundant, and writers that get it wrong exist.
 *
 * <p>Thread-safety: not thread-safe; one decoder per input stream.
 */
public final class FlvTagDecoder {

    /** Length of the tag header: TagType, DataSize, Timestamp, TimestampExtended, StreamID. */
    public static final int TAG_HEADER_LENGTH = 11;
    /** Length of the PreviousTagSize field after each tag. */
    public static final int PREVIOUS_TAG_SIZE_LENGTH = 4;
    /**
     * Default largest tag body, 8 MiB: above the largest intra frames of 4K live encodes
     * (1 to 3 MB) with room to spare, and well below the 16 MiB a 24-bit DataSize can claim,
     * so a corrupt length cannot make a reader buffer 16 MiB per connection.
     */
    public static final int DEFAULT_MAX_TAG_SIZE = 8 * 1024 * 1024;

    private static final int FILTER_BIT = 0x20;

    private final int maxTagSize;
    private boolean headerPending;
    private FlvHeader header;

    /** Makes a decoder that expects the FLV header and uses {@link #DEFAULT_MAX_TAG_SIZE}. */
    public FlvTagDecoder() {
        this(true, DEFAULT_MAX_TAG_SIZE);
    }

    /**
     * Makes a decoder.
     *
     * @param expectHeader whether the input starts with the FLV header and PreviousTagSize0
     * @param maxTagSize the largest tag body accepted, in bytes
     */
    public FlvTagDecoder(boolean expectHeader, int maxTagSize) {
        if (maxTagSize <= 0 || maxTagSize > 0xFF_FFFF) {
            throw new IllegalArgumentException("maxTagSize must be in [1, 16777215]: " + maxTagSize);
        }
        this.headerPending = expectHeader;
        this.maxTagSize = maxTagSize;
    }

    public int maxTagSize() {
        return maxTagSize;
    }

    /** Returns the FLV header once it has been read, else null. */
    public FlvHeader header() {
        return header;
    }

    /**
     * Reads the next tag and its PreviousTagSize from {@code in}, first reading the FLV header
     * if one is expected and not read yet. Returns null and leaves the tag's bytes in
     * {@code in} when they are not all there yet; call again once more bytes have arrived.
     *
     * <p>Ownership: {@code in} is borrowed and its reader index moves past what was read. The
     * returned tag's body is a retained slice of {@code in} (no copy), so the caller releases
     * the tag; {@code in} may be released or discarded independently.
     *
     * @throws MalformedMediaException on a bad header, an unknown or encrypted tag type or a
     *     tag larger than {@link #maxTagSize()}; the input cannot be resynchronised after it
     */
    public FlvTag decode(ByteBuf in) {
        if (headerPending) {
            FlvHeader h = FlvHeader.read(in);
            if (h == null) {
                return null;
            }
            header = h;
            headerPending = false;
        }
        if (in.readableBytes() < TAG_HEADER_LENGTH) {
            return null;
        }
        int start = in.readerIndex();
        int first = in.getUnsignedByte(start);
        if ((first & FILTER_BIT) != 0) {
            throw new MalformedMediaException("encrypted (filtered) FLV tag not supported");
        }
        // The two reserved bits above Filter are written 0; they are ignored as ffmpeg does.
        FlvTagType type = FlvTagType.valueOf(first & 0x1F);
        if (type == null) {
            throw new MalformedMediaException("unknown FLV tag type " + (first & 0x1F));
        }
        int dataSize = in.getUnsignedMedium(start + 1);
        if (dataSize > maxTagSize) {
            throw new MalformedMediaException("FLV " + type + " tag of " + dataSize + " bytes exceeds the limit of "
                    + maxTagSize);
        }
        if (in.readableBytes() < TAG_HEADER_LENGTH + dataSize + PREVIOUS_TAG_SIZE_LENGTH) {
            return null;
        }
        long timestamp = in.getUnsignedMedium(start + 4) | ((long) in.getUnsignedByte(start + 7) << 24);
        // StreamID (3 bytes) is always 0 and ignored.
        in.skipBytes(TAG_HEADER_LENGTH);
        ByteBuf body = in.readRetainedSlice(dataSize);
        in.skipBytes(PREVIOUS_TAG_SIZE_LENGTH);
        return new FlvTag(type, timestamp, body);
    }
}

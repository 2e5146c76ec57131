package io.livehub.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * Writes FLV tags (Adobe FLV v10.1, Annex E.4.1, "FLV tags"): an 11-byte tag header, the body
 * and the PreviousTagSize that follows every tag, so that tags can be concatenated after an
 * {@link FlvHeader} into a file or an HTTP-FLV response.
 *
 * <p>Thread-safety: stateless.
 */
public final class FlvTagEncoder {

    private FlvTagEncoder() {
    }

    /**
     * Returns one complete tag, header, body and PreviousTagSize, in a new buffer of exactly
     * the right size. The timestamp is taken modulo 2^32, as FLV timestamps wrap.
     *
     * <p>Ownership: {@code body} is borrowed and read without moving its indexes; the caller
     * releases the returned buffer.
     *
     * @param timestamp milliseconds; only the low 32 bits are written
     * @throws IllegalArgumentException when the body is larger than the 24-bit DataSize allows
     */
    public static ByteBuf encode(ByteBufAllocator alloc, FlvTagType type, long timestamp, ByteBuf body) {
        int size = body.readableBytes();
        ByteBuf out = alloc.buffer(FlvTagDecoder.TAG_HEADER_LENGTH + size + FlvTagDecoder.PREVIOUS_TAG_SIZE_LENGTH);
        try {
            writeHeader(out, type, timestamp, size);
            out.writeBytes(body, body.readerIndex(), size);
            out.writeInt(FlvTagDecoder.TAG_HEADER_LENGTH + size);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Writes {@code tag} with its PreviousTagSize to {@code out}.
     *
     * <p>Ownership: {@code tag} and {@code out} are borrowed; the caller releases both.
     */
    public static void write(FlvTag tag, ByteBuf out) {
        ByteBuf body = tag.content();
        int size = body.readableBytes();
        writeHeader(out, tag.type(), tag.timestamp(), size);
        out.writeBytes(body, body.readerIndex(), size);
        out.writeInt(FlvTagDecoder.TAG_HEADER_LENGTH + size);
    }

    /**
     * Writes an 11-byte tag header for a body of {@code dataSize} bytes to {@code out}; the
     * caller then writes the body and the PreviousTagSize ({@code 11 + dataSize}).
     *
     * <p>Ownership: {@code out} is borrowed.
     */
    public static void writeHeader(ByteBuf out, FlvTagType type, long timestamp, int dataSize) {
        Objects.requireNonNull(type, "type");
        if (dataSize < 0 || dataSize > 0xFF_FFFF) {
            throw new IllegalArgumentException("FLV tag body of " + dataSize + " bytes does not fit DataSize");
        }
        out.writeByte(type.value()); // Reserved 0, Filter 0, TagType
        out.writeMedium(dataSize);
        out.writeMedium((int) (timestamp & 0xFF_FFFF)); // Timestamp, low 24 bits
        out.writeByte((int) (timestamp >>> 24) & 0xFF); // TimestampExtended, high 8 bits
        out.writeMedium(0); // StreamID
    }
}

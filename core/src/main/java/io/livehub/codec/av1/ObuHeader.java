package io.livehub.codec.av1;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/**
 * Holds an OBU header with its size field (AV1 specification §5.3.1 to §5.3.3) and where the
 * OBU sits in the buffer it was read from.
 *
 * @param offset the absolute index of the OBU's first byte
 * @param type {@code obu_type}, see {@link ObuType}
 * @param extensionFlag {@code obu_extension_flag}: a second header byte with layer ids follows
 * @param hasSizeField {@code obu_has_size_field}; without it the OBU runs to the end of the data
 * @param temporalId {@code temporal_id}, 0 without extension
 * @param spatialId {@code spatial_id}, 0 without extension
 * @param headerSize header bytes including the {@code leb128} size field
 * @param payloadSize {@code obu_size}, the bytes after the header
 */
public record ObuHeader(
        int offset,
        int type,
        boolean extensionFlag,
        boolean hasSizeField,
        int temporalId,
        int spatialId,
        int headerSize,
        int payloadSize) {

    /**
     * Reads the OBU header at absolute {@code index} of {@code buf}, whose data ends at
     * {@code end}, without moving the buffer's indices.
     *
     * <p>Ownership: {@code buf} is borrowed.
     *
     * @throws MalformedMediaException if the header is truncated, the forbidden bit is set, or
     *     {@code obu_size} runs past {@code end}
     */
    public static ObuHeader parse(ByteBuf buf, int index, int end) {
        if (index >= end) {
            throw new MalformedMediaException("truncated OBU header: no bytes left");
        }
        int b = buf.getUnsignedByte(index);
        if ((b & 0x80) != 0) {
            throw new MalformedMediaException("OBU forbidden bit set");
        }
        int type = (b >>> 3) & 0x0F;
        boolean extension = (b & 0x04) != 0;
        boolean hasSize = (b & 0x02) != 0;
        int pos = index + 1;
        int temporalId = 0;
        int spatialId = 0;
        if (extension) {
            if (pos >= end) {
                throw new MalformedMediaException("truncated OBU extension header");
            }
            int e = buf.getUnsignedByte(pos++);
            temporalId = e >>> 5;
            spatialId = (e >>> 3) & 0x03;
        }
        long payloadSize;
        if (hasSize) {
            long packed = Leb128.read(buf, pos, end);
            pos += Leb128.size(packed);
            payloadSize = Leb128.value(packed);
            if (payloadSize > end - pos) {
                throw new MalformedMediaException("OBU size " + payloadSize + " past the end of the data ("
                        + (end - pos) + " bytes left)");
            }
        } else {
            payloadSize = end - pos;
        }
        return new ObuHeader(index, type, extension, hasSize, temporalId, spatialId, pos - index, (int) payloadSize);
    }

    /** Returns the absolute index of the first payload byte. */
    public int payloadOffset() {
        return offset + headerSize;
    }

    /** Returns header plus payload size. */
    public int totalSize() {
        return headerSize + payloadSize;
    }
}

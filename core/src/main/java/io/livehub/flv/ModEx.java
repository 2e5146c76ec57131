package io.livehub.flv;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/**
 * Skips the ModEx prefixes of an enhanced tag body (Enhanced RTMP v2, "ModEx", packet type 7
 * for both audio and video). Each prefix is a size (UI8 + 1, or UI16 + 1 when the first
 * value is 255), that many bytes of extension data and a byte whose high nibble names the
 * extension and whose low nibble is the next packet type. The only extension the spec
 * defines, TimestampOffsetNano, refines a millisecond timestamp by under a millisecond; the
 * hub's FLV timebase is the millisecond, so the data is skipped.
 */
final class ModEx {

    static final int PACKET_TYPE = 7;

    private ModEx() {
    }

    /**
     * Skips ModEx prefixes starting at {@code in}'s reader index and returns the packet type
     * that follows them.
     *
     * <p>Ownership: {@code in} is borrowed; its reader index moves past the prefixes.
     *
     * @throws MalformedMediaException when a prefix is truncated
     */
    static int skip(ByteBuf in, String what) {
        int packetType;
        do {
            if (!in.isReadable()) {
                throw new MalformedMediaException(what + " truncated in its ModEx size");
            }
            int size = in.readUnsignedByte() + 1;
            if (size == 256) {
                if (in.readableBytes() < 2) {
                    throw new MalformedMediaException(what + " truncated in its ModEx size");
                }
                size = in.readUnsignedShort() + 1;
            }
            if (in.readableBytes() < size + 1) {
                throw new MalformedMediaException(what + " ModEx data of " + size + " bytes truncated");
            }
            in.skipBytes(size);
            packetType = in.readUnsignedByte() & 0x0F; // high nibble: ModEx type, ignored
        } while (packetType == PACKET_TYPE);
        return packetType;
    }
}

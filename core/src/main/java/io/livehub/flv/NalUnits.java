package io.livehub.flv;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Checks and rewrites length-prefixed NAL units, the sample format of AVC and HEVC in FLV
 * (ISO/IEC 14496-15, sections 5.3.2 and 8.3.2: each NAL unit preceded by its length in
 * lengthSizeMinusOne + 1 bytes).
 */
final class NalUnits {

    private NalUnits() {
    }

    /**
     * Returns the number of bytes the access unit needs with 4-byte lengths, checking that
     * every NAL unit length stays within {@code au}.
     *
     * <p>Ownership: {@code au} is borrowed; its indexes do not move.
     *
     * @throws MalformedMediaException when a length field or NAL unit is truncated
     */
    static int sizeWithFourByteLengths(ByteBuf au, int lengthSize, String codec) {
        int i = au.readerIndex();
        int end = au.writerIndex();
        long size = 0;
        while (i < end) {
            if (end - i < lengthSize) {
                throw new MalformedMediaException(codec + " access unit truncated in a NAL unit length");
            }
            long n = readLength(au, i, lengthSize);
            i += lengthSize;
            if (n > end - i) {
                throw new MalformedMediaException(codec + " NAL unit of " + n + " bytes overruns its access unit by "
                        + (n - (end - i)) + " bytes");
            }
            i += (int) n;
            size += 4 + n;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new MalformedMediaException(codec + " access unit too large");
        }
        return (int) size;
    }

    /**
     * Returns a new buffer with the NAL units of {@code au} behind 4-byte lengths.
     *
     * <p>Ownership: {@code au} is borrowed and its indexes do not move; the caller releases
     * the result.
     *
     * @throws MalformedMediaException when a length field or NAL unit is truncated
     */
    static ByteBuf toFourByteLengths(ByteBuf au, int lengthSize, String codec, ByteBufAllocator alloc) {
        int size = sizeWithFourByteLengths(au, lengthSize, codec);
        ByteBuf out = alloc.buffer(size, size);
        int i = au.readerIndex();
        int end = au.writerIndex();
        while (i < end) {
            int n = (int) readLength(au, i, lengthSize);
            i += lengthSize;
            out.writeInt(n);
            out.writeBytes(au, i, n);
            i += n;
        }
        return out;
    }

    private static long readLength(ByteBuf b, int index, int lengthSize) {
        switch (lengthSize) {
            case 1:
                return b.getUnsignedByte(index);
            case 2:
                return b.getUnsignedShort(index);
            case 3:
                return b.getUnsignedMedium(index);
            default:
                return b.getUnsignedInt(index);
        }
    }
}

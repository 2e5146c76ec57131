package io.livehub.codec;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Reads and rewrites access units whose NAL units each follow a big-endian length of 1, 2
 * or 4 bytes, the sample format of ISO/IEC 14496-15 §5.3.2 (AVC) and §8.3.2 (HEVC), where
 * the length size comes from the decoder configuration record's {@code lengthSizeMinusOne}.
 *
 * <p>Every length is checked against the bytes that remain before it is used.
 *
 * <p>Thread-safety: stateless. Ownership: inputs are borrowed and their indices are left
 * alone; every returned buffer is documented on its method.
 */
public final class LengthPrefixedNalUnits {

    private LengthPrefixedNalUnits() {
    }

    /**
     * Returns the NAL units of {@code accessUnit} as slices.
     *
     * <p>Ownership: the slices share {@code accessUnit}'s memory and reference count and are
     * not retained; they are valid while {@code accessUnit} is, and the caller must not
     * release them.
     *
     * @param lengthSize 1, 2 or 4
     * @throws MalformedMediaException if a length runs past the end of the access unit
     */
    public static List<ByteBuf> split(ByteBuf accessUnit, int lengthSize) {
        checkLengthSize(lengthSize);
        List<ByteBuf> out = new ArrayList<>();
        int i = accessUnit.readerIndex();
        int end = accessUnit.writerIndex();
        while (i < end) {
            int len = readLength(accessUnit, i, end, lengthSize);
            i += lengthSize;
            out.add(accessUnit.slice(i, len));
            i += len;
        }
        return out;
    }

    /**
     * Returns true if the first byte of any NAL unit in {@code accessUnit} passes
     * {@code headerTest}; the test receives the byte as 0 to 255. Empty NAL units are skipped.
     */
    public static boolean anyHeaderMatches(ByteBuf accessUnit, int lengthSize, IntPredicate headerTest) {
        checkLengthSize(lengthSize);
        int i = accessUnit.readerIndex();
        int end = accessUnit.writerIndex();
        while (i < end) {
            int len = readLength(accessUnit, i, end, lengthSize);
            i += lengthSize;
            if (len > 0 && headerTest.test(accessUnit.getUnsignedByte(i))) {
                return true;
            }
            i += len;
        }
        return false;
    }

    /**
     * Converts an access unit of length-prefixed NAL units into an Annex B access unit with
     * 4-byte start codes.
     *
     * <p>Ownership: {@code accessUnit} is borrowed; the result is a new buffer from
     * {@code alloc} that the caller releases.
     *
     * @param lengthSize 1, 2 or 4
     */
    public static ByteBuf toAnnexB(ByteBuf accessUnit, int lengthSize, ByteBufAllocator alloc) {
        checkLengthSize(lengthSize);
        int size = validatedSize(accessUnit, lengthSize, 4);
        ByteBuf out = alloc.buffer(size);
        int i = accessUnit.readerIndex();
        int end = accessUnit.writerIndex();
        while (i < end) {
            int len = readLength(accessUnit, i, end, lengthSize);
            i += lengthSize;
            if (len > 0) {
                AnnexB.writeUnit(out, accessUnit, i, len);
            }
            i += len;
        }
        return out;
    }

    /**
     * Rewrites the length prefixes of {@code accessUnit} from {@code lengthSize} bytes to
     * 4 bytes, the hub's canonical form.
     *
     * <p>Ownership: {@code accessUnit} is borrowed; the result is a new buffer from
     * {@code alloc} that the caller releases, even when {@code lengthSize} is already 4.
     *
     * @param lengthSize 1, 2 or 4
     */
    public static ByteBuf toFourByteLengths(ByteBuf accessUnit, int lengthSize, ByteBufAllocator alloc) {
        checkLengthSize(lengthSize);
        int size = validatedSize(accessUnit, lengthSize, 4);
        ByteBuf out = alloc.buffer(size);
        int i = accessUnit.readerIndex();
        int end = accessUnit.writerIndex();
        while (i < end) {
            int len = readLength(accessUnit, i, end, lengthSize);
            i += lengthSize;
            out.writeInt(len);
            out.writeBytes(accessUnit, i, len);
            i += len;
        }
        return out;
    }

    /**
     * Checks that every length prefix of {@code accessUnit} stays within it, without
     * allocating: what ingest does for an access unit it passes on as it is.
     *
     * <p>Ownership: {@code accessUnit} is borrowed; its indexes do not move.
     *
     * @param lengthSize 1, 2 or 4
     * @throws MalformedMediaException when a length or a NAL unit is truncated
     */
    public static void validate(ByteBuf accessUnit, int lengthSize) {
        checkLengthSize(lengthSize);
        validatedSize(accessUnit, lengthSize, lengthSize);
    }

    /**
     * Returns the size of the access unit once each prefix is {@code newLengthSize} bytes,
     * checking every length first so that no output is allocated for bad input.
     */
    private static int validatedSize(ByteBuf accessUnit, int lengthSize, int newLengthSize) {
        int i = accessUnit.readerIndex();
        int end = accessUnit.writerIndex();
        long size = 0;
        while (i < end) {
            int len = readLength(accessUnit, i, end, lengthSize);
            i += lengthSize + len;
            size += newLengthSize + len;
        }
        if (size > Integer.MAX_VALUE) {
            throw new MalformedMediaException("access unit too large: " + size);
        }
        return (int) size;
    }

    private static int readLength(ByteBuf buf, int index, int end, int lengthSize) {
        if (end - index < lengthSize) {
            throw new MalformedMediaException("truncated NAL unit length: " + (end - index)
                    + " bytes left, length size " + lengthSize);
        }
        long len;
        switch (lengthSize) {
            case 1:
                len = buf.getUnsignedByte(index);
                break;
            case 2:
                len = buf.getUnsignedShort(index);
                break;
            default:
                len = buf.getUnsignedInt(index);
                break;
        }
        long left = end - index - lengthSize;
        if (len > left) {
            throw new MalformedMediaException("NAL unit length " + len + " past the end of the access unit ("
                    + left + " bytes left)");
        }
        return (int) len;
    }

    private static void checkLengthSize(int lengthSize) {
        if (lengthSize != 1 && lengthSize != 2 && lengthSize != 4) {
            throw new IllegalArgumentException("NAL unit length size must be 1, 2 or 4: " + lengthSize);
        }
    }
}

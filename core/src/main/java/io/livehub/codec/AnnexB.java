package io.livehub.codec;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits and writes the Annex B byte stream format of ITU-T H.264 (Annex B) and ITU-T H.265
 * (Annex B), where each NAL unit follows a {@code 0x000001} or {@code 0x00000001} start code.
 *
 * <p>Zero bytes before the first start code ({@code leading_zero_8bits}) and after a NAL
 * unit ({@code trailing_zero_8bits}) are framing, not payload: a NAL unit never ends with
 * {@code 0x00} (H.264 §7.4.1), so they are dropped. Empty NAL units are skipped.
 *
 * <p>Thread-safety: stateless. Ownership: inputs are borrowed and their indices are left
 * alone; every returned buffer is documented on its method.
 */
public final class AnnexB {

    private static final byte[] START_CODE = {0, 0, 0, 1};

    private AnnexB() {
    }

    /**
     * Returns the NAL units of an Annex B stream as slices of {@code stream} between its
     * reader and writer index.
     *
     * <p>Ownership: the slices share {@code stream}'s memory and reference count and are not
     * retained; they are valid while {@code stream} is, and the caller must not release them.
     *
     * @throws MalformedMediaException if non-zero bytes come before the first start code or
     *     there is no start code at all
     */
    public static List<ByteBuf> split(ByteBuf stream) {
        long[] units = scan(stream);
        List<ByteBuf> out = new ArrayList<>(units.length);
        for (long u : units) {
            out.add(stream.slice((int) (u >>> 32), (int) u));
        }
        return out;
    }

    /** Returns the NAL units of an Annex B stream as new arrays. */
    public static List<byte[]> split(byte[] stream) {
        ByteBuf buf = Unpooled.wrappedBuffer(stream);
        long[] units = scan(buf);
        List<byte[]> out = new ArrayList<>(units.length);
        for (long u : units) {
            byte[] nal = new byte[(int) u];
            buf.getBytes((int) (u >>> 32), nal);
            out.add(nal);
        }
        return out;
    }

    /**
     * Converts an Annex B access unit into NAL units each preceded by a 4-byte big-endian
     * length (the form of ISO/IEC 14496-15 §5.3.2 with {@code lengthSizeMinusOne} = 3).
     *
     * <p>Ownership: {@code annexB} is borrowed; the result is a new buffer from
     * {@code alloc} that the caller releases.
     */
    public static ByteBuf toLengthPrefixed(ByteBuf annexB, ByteBufAllocator alloc) {
        long[] units = scan(annexB);
        int size = 0;
        for (long u : units) {
            size += 4 + (int) u;
        }
        ByteBuf out = alloc.buffer(size);
        for (long u : units) {
            out.writeInt((int) u);
            out.writeBytes(annexB, (int) (u >>> 32), (int) u);
        }
        return out;
    }

    /** Returns the NAL units joined with 4-byte start codes, as for parameter sets sent in-band. */
    public static byte[] join(List<byte[]> nalUnits) {
        int size = 0;
        for (byte[] nal : nalUnits) {
            size += START_CODE.length + nal.length;
        }
        byte[] out = new byte[size];
        int pos = 0;
        for (byte[] nal : nalUnits) {
            System.arraycopy(START_CODE, 0, out, pos, START_CODE.length);
            pos += START_CODE.length;
            System.arraycopy(nal, 0, out, pos, nal.length);
            pos += nal.length;
        }
        return out;
    }

    /** Writes a 4-byte start code and {@code length} bytes of {@code nal} from {@code index}. */
    static void writeUnit(ByteBuf out, ByteBuf nal, int index, int length) {
        out.writeBytes(START_CODE);
        out.writeBytes(nal, index, length);
    }

    /** Returns each NAL unit as {@code index << 32 | length}. */
    private static long[] scan(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        long[] units = new long[8];
        int count = 0;
        int i = start;
        // Only zero bytes may come before the first start code.
        while (i < end && buf.getByte(i) == 0) {
            i++;
        }
        if (i == end) {
            throw new MalformedMediaException("Annex B stream without a start code");
        }
        if (buf.getByte(i) != 1 || i - start < 2) {
            throw new MalformedMediaException("Annex B stream does not begin with a start code");
        }
        int unitStart = i + 1;
        i = unitStart;
        while (true) {
            int next = findStartCode(buf, i, end);
            int unitEnd = next < 0 ? end : next;
            while (unitEnd > unitStart && buf.getByte(unitEnd - 1) == 0) {
                unitEnd--;
            }
            if (unitEnd > unitStart) {
                if (count == units.length) {
                    units = Arrays.copyOf(units, count * 2);
                }
                units[count++] = ((long) unitStart << 32) | (unitEnd - unitStart);
            }
            if (next < 0) {
                break;
            }
            unitStart = next + 3;
            i = unitStart;
        }
        return Arrays.copyOf(units, count);
    }

    /** Returns the index of the next {@code 0x000001} at or after {@code from}, or -1. */
    private static int findStartCode(ByteBuf buf, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if ((buf.getByte(i + 2) & 0xFF) > 1) {
                // Neither of the two bytes can be the start of a match ending here.
                i += 2;
                continue;
            }
            if (buf.getByte(i) == 0 && buf.getByte(i + 1) == 0 && buf.getByte(i + 2) == 1) {
                return i;
            }
        }
        return -1;
    }
}

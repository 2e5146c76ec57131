package io.livehub.isobmff;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes ISO-BMFF boxes into a {@link ByteBuf} (ISO/IEC 14496-12 §4.2): {@link #begin} opens a
 * box with a placeholder size, {@link #end} closes the innermost open box and fills its size in,
 * so boxes nest without computing sizes up front. {@link #beginFull} opens a {@code FullBox}
 * with its version and flags. The field methods write big-endian integers, as every box field is.
 *
 * <p>Boxes written here hold a 32-bit size: a {@code ByteBuf} holds less than 2^31 bytes, so a
 * box built in one never needs the 64-bit {@code largesize}. A box whose payload lives elsewhere
 * ({@code mdat} of a fragment, the streamed {@code mdat} of a file) gets its header from
 * {@link #writeHeader}, which switches to {@code largesize} when the size needs it.
 *
 * <p>Thread-safety: not thread-safe. Ownership: the buffer is borrowed; the caller keeps it.
 */
public final class BoxWriter {

    /** Size of a box header with a 32-bit size: size and type. */
    public static final int HEADER_LENGTH = 8;
    /** Size of a box header with {@code size == 1} and a 64-bit {@code largesize}. */
    public static final int LARGE_HEADER_LENGTH = 16;
    /** Size of a {@code FullBox} header: a box header, version and flags. */
    public static final int FULL_HEADER_LENGTH = 12;

    private static final long MAX_SIZE_32 = 0xFFFF_FFFFL;

    private final ByteBuf out;
    private int[] starts = new int[8];
    private int depth;

    /** Makes a writer that appends to {@code out} at its writer index. */
    public BoxWriter(ByteBuf out) {
        this.out = out;
    }

    /** Returns the buffer written to. */
    public ByteBuf buffer() {
        return out;
    }

    /** Returns how many boxes are open. */
    public int depth() {
        return depth;
    }

    /** Opens a box of {@code type} (a packed four-character code, see {@link #fourCc}). */
    public BoxWriter begin(int type) {
        if (depth == starts.length) {
            starts = Arrays.copyOf(starts, depth * 2);
        }
        starts[depth++] = out.writerIndex();
        out.writeInt(0);
        out.writeInt(type);
        return this;
    }

    /** Opens a box of {@code type}, a four-character code such as {@code "moov"}. */
    public BoxWriter begin(String type) {
        return begin(fourCc(type));
    }

    /** Opens a {@code FullBox} (§4.2.2): a box whose payload starts with an 8-bit version and 24-bit flags. */
    public BoxWriter beginFull(int type, int version, int flags) {
        begin(type);
        out.writeInt((version & 0xFF) << 24 | (flags & 0xFF_FFFF));
        return this;
    }

    /** Opens a {@code FullBox} of {@code type}, a four-character code. */
    public BoxWriter beginFull(String type, int version, int flags) {
        return beginFull(fourCc(type), version, flags);
    }

    /**
     * Closes the innermost open box and writes its size.
     *
     * @throws IllegalStateException when no box is open
     */
    public BoxWriter end() {
        if (depth == 0) {
            throw new IllegalStateException("no open box");
        }
        int start = starts[--depth];
        out.setInt(start, out.writerIndex() - start);
        return this;
    }

    /** Writes a box of {@code type} whose payload is {@code payload}. */
    public BoxWriter box(String type, byte[] payload) {
        return begin(type).bytes(payload).end();
    }

    public BoxWriter u8(int value) {
        out.writeByte(value);
        return this;
    }

    public BoxWriter u16(int value) {
        out.writeShort(value);
        return this;
    }

    public BoxWriter u24(int value) {
        out.writeMedium(value);
        return this;
    }

    /** Writes the low 32 bits of {@code value}; signed and unsigned fields share the layout. */
    public BoxWriter u32(long value) {
        out.writeInt((int) value);
        return this;
    }

    public BoxWriter u64(long value) {
        out.writeLong(value);
        return this;
    }

    /** Writes a four-character code such as a brand or handler type. */
    public BoxWriter fourCcField(String code) {
        out.writeInt(fourCc(code));
        return this;
    }

    public BoxWriter bytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public BoxWriter zeros(int count) {
        out.writeZero(count);
        return this;
    }

    /**
     * Returns the header length {@link #writeHeader} uses for a box with {@code payloadLength}
     * bytes after the header: 8, or 16 when the size does not fit 32 bits.
     */
    public static int headerLength(long payloadLength) {
        return payloadLength + HEADER_LENGTH > MAX_SIZE_32 ? LARGE_HEADER_LENGTH : HEADER_LENGTH;
    }

    /**
     * Writes a box header for a box of {@code type} whose {@code payloadLength} bytes are written
     * separately (§4.2.2 {@code Box}): a 32-bit size, or {@code size = 1} and a 64-bit
     * {@code largesize} when the box is 2^32 bytes or larger.
     *
     * <p>Ownership: {@code out} is borrowed.
     */
    public static void writeHeader(ByteBuf out, int type, long payloadLength) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length: " + payloadLength);
        }
        if (headerLength(payloadLength) == HEADER_LENGTH) {
            out.writeInt((int) (payloadLength + HEADER_LENGTH));
            out.writeInt(type);
        } else {
            out.writeInt(1);
            out.writeInt(type);
            out.writeLong(payloadLength + LARGE_HEADER_LENGTH);
        }
    }

    /**
     * Packs a four-character code into the big-endian {@code int} the box header holds.
     *
     * @throws IllegalArgumentException unless {@code code} is four characters of ISO 8859-1
     */
    public static int fourCc(String code) {
        if (code.length() != 4) {
            throw new IllegalArgumentException("not a four-character code: '" + code + "'");
        }
        int packed = 0;
        for (int i = 0; i < 4; i++) {
            char c = code.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException("not a four-character code: '" + code + "'");
            }
            packed = packed << 8 | c;
        }
        return packed;
    }

    /** Unpacks a four-character code, the inverse of {@link #fourCc}. */
    public static String fourCcString(int code) {
        byte[] b = {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}

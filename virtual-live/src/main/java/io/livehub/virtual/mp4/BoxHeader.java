package io.livehub.virtual.mp4;

import io.livehub.media.MalformedMediaException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The header of one box (ISO/IEC 14496-12, 4.2): its type and where it and its content lie in
 * the file. {@link #read} checks the size against the enclosing box, so a box never reaches
 * past its parent or the end of the file.
 *
 * @param type       the four-character type as a big-endian int (see {@link #type(String)})
 * @param offset     the position of the box's first byte
 * @param headerSize 8, 16 with a 64-bit size, plus 16 for a {@code uuid} box
 * @param size       the whole box's size in bytes, header included
 */
public record BoxHeader(int type, long offset, int headerSize, long size) {

    /** Returns the four-character code {@code fourCc} as a box type. */
    public static int type(String fourCc) {
        byte[] b = fourCc.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length != 4) {
            throw new IllegalArgumentException("not a four-character code: " + fourCc);
        }
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /** Returns {@code type} as text, with unprintable bytes as {@code ?}. */
    public static String name(int type) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int v = type >>> (24 - 8 * i) & 0xFF;
            c[i] = v >= 0x20 && v < 0x7F ? (char) v : '?';
        }
        return new String(c);
    }

    /**
     * Reads the header of the box at {@code offset}, which must end by {@code end} (its parent's
     * end, or the file size). A size of 0 means "to the end of the parent" (4.2).
     *
     * @throws MalformedMediaException when the header is truncated or the size does not fit
     */
    public static BoxHeader read(RandomAccessInput in, long offset, long end) throws IOException {
        if (end - offset < 8) {
            throw new MalformedMediaException("truncated box header at " + offset + " (" + (end - offset)
                    + " bytes left)");
        }
        ByteBuffer b = ByteBuffer.allocate(16);
        b.limit(8);
        in.readFully(offset, b);
        long size = b.getInt(0) & 0xFFFF_FFFFL;
        int type = b.getInt(4);
        int header = 8;
        if (size == 1) {
            if (end - offset < 16) {
                throw new MalformedMediaException("truncated 64-bit box size of '" + name(type) + "' at " + offset);
            }
            b.limit(16);
            in.readFully(offset + 8, b);
            size = b.getLong(8);
            header = 16;
        } else if (size == 0) {
            size = end - offset;
        }
        if (type == UUID) {
            header += 16;
        }
        if (size < header || size > end - offset) {
            throw new MalformedMediaException("box '" + name(type) + "' at " + offset + " has size " + size
                    + ", outside [" + header + ", " + (end - offset) + "]");
        }
        return new BoxHeader(type, offset, header, size);
    }

    private static final int UUID = type("uuid");

    /** Returns the position of the first byte after the header. */
    public long contentOffset() {
        return offset + headerSize;
    }

    /** Returns the size of the content (the box without its header). */
    public long contentSize() {
        return size - headerSize;
    }

    /** Returns the position just after the box. */
    public long end() {
        return offset + size;
    }

    @Override
    public String toString() {
        return "'" + name(type) + "'@" + offset + "+" + size;
    }
}

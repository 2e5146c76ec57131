package io.livehub.flv;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/**
 * The FLV file header (Adobe FLV v10.1, Annex E.2, "The FLV header"): signature {@code FLV},
 * version 1, audio and video presence flags and the header length, followed on the wire by
 * PreviousTagSize0 (always 0).
 *
 * <p>Thread-safety: immutable.
 *
 * @param hasAudio the TypeFlagsAudio bit
 * @param hasVideo the TypeFlagsVideo bit
 */
public record FlvHeader(boolean hasAudio, boolean hasVideo) {

    /** Length of the header as written here: signature, version, flags and DataOffset. */
    public static final int LENGTH = 9;
    /** Length of the header plus PreviousTagSize0, the bytes before the first tag. */
    public static final int LENGTH_WITH_PREVIOUS_TAG_SIZE = LENGTH + 4;
    /**
     * Largest DataOffset accepted. The spec only ever writes 9; a larger value would mean
     * bytes a later version defines, and anything beyond this bound is a corrupt header.
     */
    public static final int MAX_DATA_OFFSET = 1024;

    private static final int SIGNATURE = 0x464C56; // "FLV"

    /**
     * Writes the 9-byte header and PreviousTagSize0 (13 bytes) to {@code out}.
     *
     * <p>Ownership: {@code out} is borrowed; the caller keeps and releases it.
     */
    public void write(ByteBuf out) {
        out.writeMedium(SIGNATURE);
        out.writeByte(1); // Version
        out.writeByte((hasAudio ? 0x04 : 0) | (hasVideo ? 0x01 : 0)); // TypeFlags, reserved bits 0
        out.writeInt(LENGTH); // DataOffset
        out.writeInt(0); // PreviousTagSize0
    }

    /**
     * Reads a header and PreviousTagSize0 from {@code in}, or returns null and consumes nothing
     * when {@code in} does not hold all of it yet (streaming input). Skips header bytes beyond
     * the nine this version defines when DataOffset says there are some.
     *
     * <p>Ownership: {@code in} is borrowed; on success its reader index moves past the header.
     *
     * @throws MalformedMediaException when the signature, version or DataOffset is wrong
     */
    public static FlvHeader read(ByteBuf in) {
        if (in.readableBytes() < LENGTH) {
            return null;
        }
        int start = in.readerIndex();
        int signature = in.getUnsignedMedium(start);
        if (signature != SIGNATURE) {
            throw new MalformedMediaException(String.format("not an FLV stream: signature 0x%06x", signature));
        }
        int version = in.getUnsignedByte(start + 3);
        if (version != 1) {
            throw new MalformedMediaException("unsupported FLV version " + version);
        }
        int flags = in.getUnsignedByte(start + 4);
        long dataOffset = in.getUnsignedInt(start + 5);
        if (dataOffset < LENGTH || dataOffset > MAX_DATA_OFFSET) {
            throw new MalformedMediaException("FLV DataOffset " + dataOffset + " outside [" + LENGTH + ", "
                    + MAX_DATA_OFFSET + "]");
        }
        if (in.readableBytes() < dataOffset + 4) {
            return null;
        }
        // PreviousTagSize0 should be 0; readers ignore it, as ffmpeg does.
        in.skipBytes((int) dataOffset + 4);
        return new FlvHeader((flags & 0x04) != 0, (flags & 0x01) != 0);
    }
}

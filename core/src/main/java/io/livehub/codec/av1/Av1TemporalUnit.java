package io.livehub.codec.av1;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the OBUs of an AV1 temporal unit in the low-overhead bitstream format (AV1
 * specification §5.2 and §7.5), the sample format of ISOBMFF and enhanced RTMP, where every
 * OBU but possibly the last has a size field.
 *
 * <p>Thread-safety: stateless. Ownership: buffers are borrowed and their indices left alone.
 */
public final class Av1TemporalUnit {

    private static final int KEY_FRAME = 0;

    private Av1TemporalUnit() {
    }

    /**
     * Returns the headers of the OBUs between the reader and writer index of
     * {@code temporalUnit}, in order, with absolute offsets into it.
     *
     * @throws MalformedMediaException if an OBU is malformed or runs past the end
     */
    public static List<ObuHeader> obus(ByteBuf temporalUnit) {
        List<ObuHeader> out = new ArrayList<>();
        int i = temporalUnit.readerIndex();
        int end = temporalUnit.writerIndex();
        while (i < end) {
            ObuHeader h = ObuHeader.parse(temporalUnit, i, end);
            out.add(h);
            i += h.totalSize();
        }
        return out;
    }

    /** Returns true if the temporal unit holds a sequence header OBU. */
    public static boolean containsSequenceHeader(ByteBuf temporalUnit) {
        int i = temporalUnit.readerIndex();
        int end = temporalUnit.writerIndex();
        while (i < end) {
            ObuHeader h = ObuHeader.parse(temporalUnit, i, end);
            if (h.type() == ObuType.SEQUENCE_HEADER) {
                return true;
            }
            i += h.totalSize();
        }
        return false;
    }

    /**
     * Returns true if a decoder can start at this temporal unit: it carries a sequence
     * header OBU, as encoders emit with every key frame, and its first frame header is a
     * shown {@code KEY_FRAME} (§5.9.2: {@code show_existing_frame} 0, {@code frame_type} 0,
     * {@code show_frame} 1), or the sequence header uses {@code reduced_still_picture_header},
     * where every frame is a shown key frame.
     *
     * @throws MalformedMediaException if an OBU is malformed or runs past the end
     */
    public static boolean isKeyFrame(ByteBuf temporalUnit) {
        int i = temporalUnit.readerIndex();
        int end = temporalUnit.writerIndex();
        boolean sequenceHeader = false;
        boolean reducedStillPicture = false;
        while (i < end) {
            ObuHeader h = ObuHeader.parse(temporalUnit, i, end);
            if (h.type() == ObuType.SEQUENCE_HEADER) {
                if (h.payloadSize() < 1) {
                    throw new MalformedMediaException("empty sequence header OBU");
                }
                sequenceHeader = true;
                // reduced_still_picture_header follows seq_profile (3 bits) and still_picture.
                reducedStillPicture = (temporalUnit.getUnsignedByte(h.payloadOffset()) & 0x08) != 0;
            } else if (h.type() == ObuType.FRAME || h.type() == ObuType.FRAME_HEADER) {
                if (!sequenceHeader) {
                    return false;
                }
                if (reducedStillPicture) {
                    return true;
                }
                if (h.payloadSize() < 1) {
                    throw new MalformedMediaException("empty frame header OBU");
                }
                int b = temporalUnit.getUnsignedByte(h.payloadOffset());
                boolean showExistingFrame = (b & 0x80) != 0;
                int frameType = (b >>> 5) & 0x03;
                boolean showFrame = (b & 0x10) != 0;
                return !showExistingFrame && frameType == KEY_FRAME && showFrame;
            }
            i += h.totalSize();
        }
        return false;
    }

    /**
     * Returns a copy of the first sequence header OBU of the temporal unit, header included,
     * or null when there is none; the form {@code av1C} configOBUs take.
     *
     * @throws MalformedMediaException if an OBU is malformed or runs past the end
     */
    public static byte[] sequenceHeaderObu(ByteBuf temporalUnit) {
        int i = temporalUnit.readerIndex();
        int end = temporalUnit.writerIndex();
        while (i < end) {
            ObuHeader h = ObuHeader.parse(temporalUnit, i, end);
            if (h.type() == ObuType.SEQUENCE_HEADER) {
                return ByteBufUtil.getBytes(temporalUnit, i, h.totalSize());
            }
            i += h.totalSize();
        }
        return null;
    }

    /** Returns a copy of the first sequence header OBU in {@code obus}, or null when there is none. */
    public static byte[] sequenceHeaderObu(byte[] obus) {
        return sequenceHeaderObu(Unpooled.wrappedBuffer(obus));
    }
}

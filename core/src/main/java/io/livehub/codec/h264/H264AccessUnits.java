package io.livehub.codec.h264;

import io.livehub.codec.AnnexB;
import io.livehub.codec.LengthPrefixedNalUnits;
import io.netty.buffer.ByteBuf;

/**
 * Answers questions about an H.264 access unit without decoding its slices.
 *
 * <p>Thread-safety: stateless. Ownership: buffers are borrowed and their indices left alone.
 */
public final class H264AccessUnits {

    private H264AccessUnits() {
    }

    /**
     * Returns true if the length-prefixed access unit holds an IDR slice (ITU-T H.264
     * §3.69, nal_unit_type 5), the point where a decoder can start.
     *
     * @param lengthSize the NAL unit length size, 1, 2 or 4
     * @throws io.livehub.media.MalformedMediaException if a length runs past the end
     */
    public static boolean containsIdr(ByteBuf accessUnit, int lengthSize) {
        return LengthPrefixedNalUnits.anyHeaderMatches(accessUnit, lengthSize,
                h -> H264NalUnitType.of(h) == H264NalUnitType.IDR_SLICE);
    }

    /**
     * Returns true if the Annex B access unit holds an IDR slice (ITU-T H.264 §3.69).
     *
     * @throws io.livehub.media.MalformedMediaException if it has no start code
     */
    public static boolean containsIdrAnnexB(ByteBuf accessUnit) {
        for (ByteBuf nal : AnnexB.split(accessUnit)) {
            if (H264NalUnitType.of(nal.getUnsignedByte(nal.readerIndex())) == H264NalUnitType.IDR_SLICE) {
                return true;
            }
        }
        return false;
    }
}

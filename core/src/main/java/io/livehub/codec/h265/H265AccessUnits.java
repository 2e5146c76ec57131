package io.livehub.codec.h265;

import io.livehub.codec.AnnexB;
import io.livehub.codec.LengthPrefixedNalUnits;
import io.netty.buffer.ByteBuf;

/**
 * Answers questions about an H.265 access unit without decoding its slices.
 *
 * <p>Thread-safety: stateless. Ownership: buffers are borrowed and their indices left alone.
 */
public final class H265AccessUnits {

    private H265AccessUnits() {
    }

    /**
     * Returns true if the length-prefixed access unit holds an IRAP picture (ITU-T H.265
     * §3.73, nal_unit_type 16 to 23).
     *
     * @param lengthSize the NAL unit length size, 1, 2 or 4
     * @throws io.livehub.media.MalformedMediaException if a length runs past the end
     */
    public static boolean containsIrap(ByteBuf accessUnit, int lengthSize) {
        return LengthPrefixedNalUnits.anyHeaderMatches(accessUnit, lengthSize,
                h -> H265NalUnitType.isIrap(H265NalUnitType.of(h)));
    }

    /**
     * Returns true if the Annex B access unit holds an IRAP picture (ITU-T H.265 §3.73).
     *
     * @throws io.livehub.media.MalformedMediaException if it has no start code
     */
    public static boolean containsIrapAnnexB(ByteBuf accessUnit) {
        for (ByteBuf nal : AnnexB.split(accessUnit)) {
            if (H265NalUnitType.isIrap(H265NalUnitType.of(nal.getUnsignedByte(nal.readerIndex())))) {
                return true;
            }
        }
        return false;
    }
}

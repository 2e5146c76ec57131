package io.livehub.codec.h265;

/**
 * Names the {@code nal_unit_type} values of ITU-T H.265 Table 7-1 that a server acts on.
 */
public final class H265NalUnitType {

    public static final int TRAIL_N = 0;
    public static final int TRAIL_R = 1;
    public static final int BLA_W_LP = 16;
    public static final int BLA_W_RADL = 17;
    public static final int BLA_N_LP = 18;
    public static final int IDR_W_RADL = 19;
    public static final int IDR_N_LP = 20;
    public static final int CRA_NUT = 21;
    /** Last of the reserved IRAP types 22 and 23. */
    public static final int RSV_IRAP_VCL23 = 23;
    public static final int VPS = 32;
    public static final int SPS = 33;
    public static final int PPS = 34;
    public static final int ACCESS_UNIT_DELIMITER = 35;
    public static final int END_OF_SEQUENCE = 36;
    public static final int END_OF_BITSTREAM = 37;
    public static final int FILLER_DATA = 38;
    public static final int PREFIX_SEI = 39;
    public static final int SUFFIX_SEI = 40;

    private H265NalUnitType() {
    }

    /** Returns the {@code nal_unit_type} in the first byte of the two-byte NAL unit header (§7.3.1.2). */
    public static int of(int firstHeaderByte) {
        return (firstHeaderByte >> 1) & 0x3F;
    }

    /**
     * Returns true for intra random access point types 16 to 23 (BLA, IDR, CRA and the
     * reserved IRAP types, §3.73), where a decoder can start.
     */
    public static boolean isIrap(int type) {
        return type >= BLA_W_LP && type <= RSV_IRAP_VCL23;
    }

    /** Returns true for the video coding layer types 0 to 31. */
    public static boolean isVcl(int type) {
        return type >= 0 && type < VPS;
    }
}

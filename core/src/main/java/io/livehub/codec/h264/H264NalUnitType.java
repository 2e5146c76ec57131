package io.livehub.codec.h264;

/**
 * Names the {@code nal_unit_type} values of ITU-T H.264 Table 7-1 that a server acts on.
 */
public final class H264NalUnitType {

    public static final int NON_IDR_SLICE = 1;
    public static final int SLICE_DATA_PARTITION_A = 2;
    public static final int SLICE_DATA_PARTITION_B = 3;
    public static final int SLICE_DATA_PARTITION_C = 4;
    public static final int IDR_SLICE = 5;
    public static final int SEI = 6;
    public static final int SPS = 7;
    public static final int PPS = 8;
    public static final int ACCESS_UNIT_DELIMITER = 9;
    public static final int END_OF_SEQUENCE = 10;
    public static final int END_OF_STREAM = 11;
    public static final int FILLER_DATA = 12;
    public static final int SPS_EXTENSION = 13;
    public static final int PREFIX_NAL_UNIT = 14;
    public static final int SUBSET_SPS = 15;

    private H264NalUnitType() {
    }

    /** Returns the {@code nal_unit_type} in the first byte of a NAL unit header (§7.3.1). */
    public static int of(int headerByte) {
        return headerByte & 0x1F;
    }

    /** Returns true for the coded-slice types 1 to 5 (video coding layer, §7.4.1). */
    public static boolean isVcl(int type) {
        return type >= NON_IDR_SLICE && type <= IDR_SLICE;
    }
}

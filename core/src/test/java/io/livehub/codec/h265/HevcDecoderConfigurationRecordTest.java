package io.livehub.codec.h265;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.Hex;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

public class HevcDecoderConfigurationRecordTest {

    /** The hvcC box payload ffmpeg writes when it remuxes the stream of {@link H265SpsTest} to MP4 with tag hvc1. */
    public static final byte[] HVCC = Hex.bytes(
            "01"                // configurationVersion
            + "01"              // profile_space 0, tier 0, profile_idc 1
            + "60000000"        // general_profile_compatibility_flags
            + "900000000000"    // general_constraint_indicator_flags
            + "78"              // general_level_idc 120
            + "f000"            // reserved 1111, min_spatial_segmentation_idc 0
            + "fc"              // reserved 111111, parallelismType 0
            + "fd"              // reserved 111111, chroma_format_idc 1
            + "f8" + "f8"       // bit_depth_luma_minus8 0, bit_depth_chroma_minus8 0
            + "0000"            // avgFrameRate 0
            + "0f"              // constantFrameRate 0, numTemporalLayers 1, temporalIdNested 1, lengthSizeMinusOne 3
            + "03"              // numOfArrays
            + "a0 0001 0018" + "40010c01ffff016000000300900000030000030078959809" // complete, VPS, 24 bytes
            + "a1 0001 002b" + "420101016000000300900000030000030078a003c08010e75596566924caf0168080000003008000000c84"
            + "a2 0001 0007" + "4401c172b46240");

    @Test
    void parsesFfmpegRecord() {
        HevcDecoderConfigurationRecord r = HevcDecoderConfigurationRecord.parse(HVCC);
        assertEquals(1, r.profileTierLevel().profileIdc());
        assertEquals(120, r.profileTierLevel().levelIdc());
        assertEquals(1, r.chromaFormatIdc());
        assertEquals(1, r.numTemporalLayers());
        assertTrue(r.temporalIdNested());
        assertEquals(4, r.nalUnitLengthSize());
        assertEquals(3, r.arrays().size());
        assertTrue(r.arrays().get(0).arrayCompleteness());
        assertEquals(H265NalUnitType.VPS, r.arrays().get(0).nalUnitType());
        assertArrayEquals(H265SpsTest.SPS_MAIN_1918X1078, r.nalUnits(H265NalUnitType.SPS).get(0));
        assertArrayEquals(H265SpsTest.PPS_MAIN, r.nalUnits(H265NalUnitType.PPS).get(0));
        assertEquals("hvc1.1.6.L120.90", r.codecString());
    }

    @Test
    void buildsTheSameBytesAsFfmpeg() {
        HevcDecoderConfigurationRecord built = HevcDecoderConfigurationRecord.of(List.of(H265SpsTest.VPS_MAIN),
                List.of(H265SpsTest.SPS_MAIN_1918X1078), List.of(H265SpsTest.PPS_MAIN));
        assertArrayEquals(HVCC, built.encode());
        assertEquals(built, HevcDecoderConfigurationRecord.parse(HVCC));
        assertEquals(built.hashCode(), HevcDecoderConfigurationRecord.parse(HVCC).hashCode());
    }

    @Test
    void roundTripsOtherFieldValues() {
        HevcDecoderConfigurationRecord r = new HevcDecoderConfigurationRecord(
                new H265ProfileTierLevel(2, true, 4, 0x08000000, 0xB00000000001L, 183), 4095, 2, 3, 4, 2,
                6000, 1, 3, false, 2, List.of(new HevcDecoderConfigurationRecord.NalUnitArray(false, 39,
                        List.of(Hex.bytes("4e01"), Hex.bytes("4e0105")))));
        assertEquals(r, HevcDecoderConfigurationRecord.parse(r.encode()));
        assertEquals("hvc1.B4.10.H183.B0.0.0.0.0.1", r.codecString());
    }

    @Test
    void rejectsTruncationsAndAbsurdCounts() {
        for (int len = 0; len < HVCC.length; len++) {
            byte[] cut = Arrays.copyOf(HVCC, len);
            assertThrows(MalformedMediaException.class, () -> HevcDecoderConfigurationRecord.parse(cut),
                    "length " + len);
        }
        byte[] hugeCount = HVCC.clone();
        hugeCount[24] = (byte) 0xFF; // numNalus of the VPS array: 0xff01
        assertThrows(MalformedMediaException.class, () -> HevcDecoderConfigurationRecord.parse(hugeCount));
        byte[] lengthSize3 = HVCC.clone();
        lengthSize3[21] = 0x0E;
        assertThrows(MalformedMediaException.class, () -> HevcDecoderConfigurationRecord.parse(lengthSize3));
        byte[] version0 = HVCC.clone();
        version0[0] = 0;
        assertThrows(MalformedMediaException.class, () -> HevcDecoderConfigurationRecord.parse(version0));
    }

    @Test
    void detectsIrapPictures() {
        // AUD (35), IDR_W_RADL (19)
        assertTrue(H265AccessUnits.containsIrap(Unpooled.wrappedBuffer(Hex.bytes("00000003 460150 00000003 2601af")), 4));
        // CRA (21)
        assertTrue(H265AccessUnits.containsIrapAnnexB(Unpooled.wrappedBuffer(Hex.bytes("00000001 2a01af"))));
        // TRAIL_R (1)
        assertFalse(H265AccessUnits.containsIrap(Unpooled.wrappedBuffer(Hex.bytes("0003 0201d0")), 2));
        assertTrue(H265NalUnitType.isIrap(16));
        assertTrue(H265NalUnitType.isIrap(23));
        assertFalse(H265NalUnitType.isIrap(24));
        assertFalse(H265NalUnitType.isIrap(15));
    }
}

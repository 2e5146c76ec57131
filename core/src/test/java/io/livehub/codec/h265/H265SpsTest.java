package io.livehub.codec.h265;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.BitWriter;
import io.livehub.codec.EmulationPrevention;
import io.livehub.codec.Hex;
import io.livehub.media.MalformedMediaException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

public class H265SpsTest {

    /**
     * Parameter sets of {@code ffmpeg -f lavfi -i testsrc=size=1918x1078:rate=25 -frames:v 1
     * -pix_fmt yuv420p -c:v libx265 -f hevc}. ffprobe: profile=Main, level=120, width=1918,
     * height=1078, coded_width=1920, coded_height=1080, pix_fmt=yuv420p.
     */
    public static final byte[] VPS_MAIN = Hex.bytes("40010c01ffff016000000300900000030000030078959809");

    public static final byte[] SPS_MAIN_1918X1078 = Hex.bytes(
            "4201"                  // forbidden 0, nal_unit_type 33 (SPS), layer 0, temporal_id_plus1 1
            + "01"                  // sps_video_parameter_set_id 0, max_sub_layers_minus1 0, temporal_id_nesting 1
            + "01"                  // general_profile_space 0, tier 0 (Main), general_profile_idc 1 (Main)
            + "600000 03 00"        // compatibility flags 1 and 2 (60000000, one emulation prevention byte)
            + "900000 03 0000 03 00" // constraint flags 900000000000: progressive_source 1, frame_only 1
            + "78"                  // general_level_idc 120 (level 4)
            // sps_id 0, chroma_format_idc 1, 1920x1080, conformance window bottom 1 (x2 rows),
            // bit depths 8/8, then fields the parser does not read
            + "a003c08010e75596566924caf0168080000003008000000c84");

    public static final byte[] PPS_MAIN = Hex.bytes("4401c172b46240");

    /**
     * SPS of the same command at 1280x720, 30 fps with {@code -pix_fmt yuv420p10le}. ffprobe:
     * profile=Main 10, level=93, width=1280, height=720, pix_fmt=yuv420p10le.
     */
    public static final byte[] SPS_MAIN10_1280X720 = Hex.bytes(
            "4201" + "01"
            + "02"                  // general_profile_idc 2 (Main 10)
            + "200000 03 00"        // compatibility flag 2
            + "900000 03 0000 03 00" // progressive_source, frame_only
            + "5d"                  // general_level_idc 93 (level 3.1)
            + "a00280802d1365959a4932bc05a020000003002000000303c1");

    @Test
    void parsesMainWithConformanceWindow() {
        H265Sps sps = H265Sps.parse(SPS_MAIN_1918X1078);
        assertEquals(0, sps.videoParameterSetId());
        assertEquals(0, sps.maxSubLayersMinus1());
        assertTrue(sps.temporalIdNesting());
        H265ProfileTierLevel ptl = sps.profileTierLevel();
        assertEquals(0, ptl.profileSpace());
        assertFalse(ptl.tierFlag());
        assertEquals(1, ptl.profileIdc());
        assertEquals(0x60000000, ptl.profileCompatibilityFlags());
        assertEquals(0x900000000000L, ptl.constraintIndicatorFlags());
        assertEquals(120, ptl.levelIdc());
        assertEquals(1, sps.chromaFormatIdc());
        assertEquals(1920, sps.codedWidth());
        assertEquals(1080, sps.codedHeight());
        assertEquals(1918, sps.width());
        assertEquals(1078, sps.height());
        assertEquals(8, sps.bitDepthLuma());
        assertEquals(8, sps.bitDepthChroma());
        assertEquals("hvc1.1.6.L120.90", sps.codecString());
    }

    @Test
    void parsesMain10() {
        H265Sps sps = H265Sps.parse(SPS_MAIN10_1280X720);
        assertEquals(2, sps.profileTierLevel().profileIdc());
        assertEquals(93, sps.profileTierLevel().levelIdc());
        assertEquals(1280, sps.width());
        assertEquals(720, sps.height());
        assertEquals(10, sps.bitDepthLuma());
        assertEquals(10, sps.bitDepthChroma());
        assertEquals("hvc1.2.4.L93.90", sps.codecString());
    }

    @Test
    void skipsSubLayerProfileAndLevelFields() {
        // Three temporal sub-layers: layer 0 has profile and level, layer 1 only a level.
        BitWriter w = new BitWriter();
        w.bits(0, 4).bits(2, 3).bit(0); // vps id, max_sub_layers_minus1 2, no nesting
        w.bits(0, 2).bit(1).bits(1, 5).bits(0x60000000L, 32).bits(0xB00000000000L, 48).bits(153, 8);
        w.bit(1).bit(1).bit(0).bit(1); // sub_layer_profile/level_present for layers 0 and 1
        w.bits(0, 2 * 6); // reserved_zero_2bits for i = 2..7
        w.bits(0x3FF_FFFF_FFFFL, 44).bits(0x3FF_FFFF_FFFFL, 44).bits(0xAA, 8); // layer 0 profile + level
        w.bits(0x55, 8); // layer 1 level
        w.ue(3).ue(2).ue(640).ue(360).bit(1).ue(1).ue(2).ue(0).ue(4); // sps_id 3, 4:2:2, window
        w.ue(2).ue(2).trailingBits();
        byte[] nal = concat(Hex.bytes("4201"), EmulationPrevention.escape(w.toByteArray()));
        H265Sps sps = H265Sps.parse(nal);
        assertEquals(2, sps.maxSubLayersMinus1());
        assertTrue(sps.profileTierLevel().tierFlag());
        assertEquals(153, sps.profileTierLevel().levelIdc());
        assertEquals(3, sps.seqParameterSetId());
        assertEquals(2, sps.chromaFormatIdc());
        assertEquals(640 - 2 * 3, sps.width());
        assertEquals(360 - 4, sps.height());
        assertEquals(10, sps.bitDepthLuma());
        assertEquals("hvc1.1.6.H153.B0", sps.codecString());
    }

    @Test
    void rejectsEveryTruncationBeforeTheBitDepths() {
        for (int len = 0; len < 22; len++) {
            byte[] cut = Arrays.copyOf(SPS_MAIN_1918X1078, len);
            assertThrows(MalformedMediaException.class, () -> H265Sps.parse(cut), "length " + len);
        }
        assertThrows(MalformedMediaException.class, () -> H265Sps.parse(VPS_MAIN));
        assertThrows(MalformedMediaException.class, () -> H265Sps.parse(Hex.bytes("4201 0f")));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

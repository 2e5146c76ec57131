package io.livehub.codec.h264;

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

public class H264SpsTest {

    /**
     * SPS of {@code ffmpeg -f lavfi -i testsrc=size=1918x1078:rate=25 -frames:v 1
     * -pix_fmt yuv420p -c:v libx264 -profile:v high -f h264}. ffprobe: profile=High, level=40,
     * width=1918, height=1078, pix_fmt=yuv420p, r_frame_rate=25/1.
     */
    public static final byte[] HIGH_1918X1078 = Hex.bytes(
            "67"          // forbidden_zero_bit 0, nal_ref_idc 3, nal_unit_type 7 (SPS)
            + "64"        // profile_idc 100 (High)
            + "00"        // constraint_set0..5 flags all 0
            + "28"        // level_idc 40
            // ue/flags: sps_id 0, chroma_format_idc 1, bit depths 8/8, no scaling matrix,
            // log2_max_frame_num_minus4 0, poc type 0, max_num_ref_frames 3,
            // pic_width_in_mbs_minus1 119, pic_height_in_map_units_minus1 67,
            // frame_mbs_only 1, direct_8x8 1, frame_cropping 1: right 1, bottom 5,
            // vui present: ... timing num_units_in_tick 1, time_scale 50
            + "acd940780227a9b011000003000100000300320f183196");

    /**
     * SPS of the same source at 320x240, 30 fps, {@code -profile:v baseline}. ffprobe:
     * profile=Constrained Baseline, level=13, width=320, height=240, r_frame_rate=30/1.
     */
    public static final byte[] BASELINE_320X240 = Hex.bytes(
            "67"          // nal_unit_type 7
            + "42"        // profile_idc 66 (Baseline)
            + "c0"        // constraint_set0_flag 1, constraint_set1_flag 1 (Constrained Baseline)
            + "0d"        // level_idc 13
            // no chroma fields for Baseline; pic_width_in_mbs_minus1 19, height 14, no
            // cropping, VUI timing num_units_in_tick 1, time_scale 60
            + "d90141fb0110000003001000000303c0f142a480");

    /** PPS that follows {@link #HIGH_1918X1078}. */
    public static final byte[] HIGH_PPS = Hex.bytes("68ebe3cb22c0");

    @Test
    void parsesHighProfileWithCropping() {
        H264Sps sps = H264Sps.parse(HIGH_1918X1078);
        assertEquals(100, sps.profileIdc());
        assertEquals(0, sps.constraintFlags());
        assertEquals(40, sps.levelIdc());
        assertEquals(0, sps.seqParameterSetId());
        assertEquals(1, sps.chromaFormatIdc());
        assertEquals(8, sps.bitDepthLuma());
        assertEquals(8, sps.bitDepthChroma());
        assertTrue(sps.frameMbsOnly());
        assertEquals(1918, sps.width());
        assertEquals(1078, sps.height());
        assertEquals(25.0, sps.frameRate());
        assertEquals("avc1.640028", sps.codecString());
    }

    @Test
    void parsesConstrainedBaseline() {
        H264Sps sps = H264Sps.parse(BASELINE_320X240);
        assertEquals(66, sps.profileIdc());
        assertEquals(0xC0, sps.constraintFlags());
        assertEquals(13, sps.levelIdc());
        assertEquals(320, sps.width());
        assertEquals(240, sps.height());
        assertEquals(30.0, sps.frameRate());
        assertEquals("avc1.42c00d", sps.codecString());
    }

    @Test
    void skipsScalingListsAndHandlesFieldCoding() {
        // High 4:2:2 10-bit, interlaced, with a scaling matrix in which list 0 is present and
        // its deltas end the list early (nextScale 0), list 6 (8x8) is present with all deltas.
        BitWriter w = new BitWriter();
        w.bits(122, 8).bits(0, 8).bits(41, 8).ue(1); // profile High 4:2:2, level 4.1, sps_id 1
        w.ue(2).ue(2).ue(2).bit(0); // chroma 4:2:2, luma/chroma 10-bit, no bypass
        w.bit(1); // seq_scaling_matrix_present_flag
        for (int i = 0; i < 8; i++) {
            boolean present = i == 0 || i == 6;
            w.bit(present ? 1 : 0);
            if (i == 0) {
                w.se(-8); // nextScale = 0 ends list 0 after one delta
            } else if (i == 6) {
                for (int j = 0; j < 64; j++) {
                    w.se(j == 0 ? 3 : 0);
                }
            }
        }
        w.ue(0).ue(1); // log2_max_frame_num_minus4, poc type 1
        w.bit(0).se(-2).se(5).ue(2).se(1).se(-1); // poc type 1 fields with a cycle of 2
        w.ue(4).bit(0); // max_num_ref_frames, gaps
        w.ue(119).ue(33).bit(0).bit(1).bit(1); // 120 mbs wide, 34 map units, fields, mbaff, 8x8
        w.bit(1).ue(0).ue(0).ue(0).ue(2); // crop bottom 2 units of 2*1 lines (4:2:2 field)
        w.bit(0); // no VUI
        w.trailingBits();
        byte[] nal = concat(new byte[] {0x67}, EmulationPrevention.escape(w.toByteArray()));
        H264Sps sps = H264Sps.parse(nal);
        assertEquals(122, sps.profileIdc());
        assertEquals(1, sps.seqParameterSetId());
        assertEquals(2, sps.chromaFormatIdc());
        assertEquals(10, sps.bitDepthLuma());
        assertEquals(10, sps.bitDepthChroma());
        assertFalse(sps.frameMbsOnly());
        assertEquals(1920, sps.width());
        assertEquals(34 * 16 * 2 - 4, sps.height());
        assertEquals(0.0, sps.frameRate());
    }

    @Test
    void rejectsEveryTruncationBeforeTheTimingInfoEnds() {
        // The last four bytes hold VUI fields after time_scale, which the parser does not read.
        for (int len = 0; len < HIGH_1918X1078.length - 4; len++) {
            byte[] cut = Arrays.copyOf(HIGH_1918X1078, len);
            assertThrows(MalformedMediaException.class, () -> H264Sps.parse(cut), "length " + len);
        }
    }

    @Test
    void rejectsWrongTypeAndOutOfRangeValues() {
        assertThrows(MalformedMediaException.class, () -> H264Sps.parse(HIGH_PPS));
        // chroma_format_idc 4: High profile, level, sps_id 0 (1), chroma ue 4 = 00101
        BitWriter w = new BitWriter().bits(100, 8).bits(0, 8).bits(40, 8).ue(0).ue(4).bits(0xFF, 8);
        assertThrows(MalformedMediaException.class,
                () -> H264Sps.parse(concat(new byte[] {0x67}, w.toByteArray())));
        // Cropping more than the picture: 1 mb wide, crop right 8 units of 2 samples.
        BitWriter c = new BitWriter().bits(66, 8).bits(0, 8).bits(30, 8).ue(0).ue(0).ue(2).ue(0).bit(0)
                .ue(0).ue(0).bit(1).bit(1).bit(1).ue(0).ue(8).ue(0).ue(0).bit(0).trailingBits();
        assertThrows(MalformedMediaException.class,
                () -> H264Sps.parse(concat(new byte[] {0x67}, c.toByteArray())));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package io.livehub.codec.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.codec.Hex;
import io.livehub.media.MalformedMediaException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

public class AvcDecoderConfigurationRecordTest {

    /** The avcC box payload ffmpeg writes when it remuxes the High SPS/PPS of {@link H264SpsTest} to MP4. */
    public static final byte[] AVCC = Hex.bytes(
            "01"        // configurationVersion
            + "64"      // AVCProfileIndication 100
            + "00"      // profile_compatibility
            + "28"      // AVCLevelIndication 40
            + "ff"      // reserved 111111, lengthSizeMinusOne 3
            + "e1"      // reserved 111, numOfSequenceParameterSets 1
            + "001b" + "67640028acd940780227a9b011000003000100000300320f183196" // 27-byte SPS
            + "01"      // numOfPictureParameterSets
            + "0006" + "68ebe3cb22c0"                                            // 6-byte PPS
            + "fd"      // reserved 111111, chroma_format 1
            + "f8"      // reserved 11111, bit_depth_luma_minus8 0
            + "f8"      // reserved 11111, bit_depth_chroma_minus8 0
            + "00");    // numOfSequenceParameterSetExt

    @Test
    void parsesFfmpegRecord() {
        AvcDecoderConfigurationRecord r = AvcDecoderConfigurationRecord.parse(AVCC);
        assertEquals(100, r.profileIndication());
        assertEquals(0, r.profileCompatibility());
        assertEquals(40, r.levelIndication());
        assertEquals(4, r.nalUnitLengthSize());
        assertArrayEquals(H264SpsTest.HIGH_1918X1078, r.sequenceParameterSets().get(0));
        assertArrayEquals(H264SpsTest.HIGH_PPS, r.pictureParameterSets().get(0));
        assertEquals(new AvcDecoderConfigurationRecord.Extension(1, 0, 0, List.of()), r.extension());
        assertEquals("avc1.640028", r.codecString());
    }

    @Test
    void buildsTheSameBytesAsFfmpeg() {
        AvcDecoderConfigurationRecord built = AvcDecoderConfigurationRecord.of(
                List.of(H264SpsTest.HIGH_1918X1078), List.of(H264SpsTest.HIGH_PPS));
        assertArrayEquals(AVCC, built.encode());
        assertEquals(built, AvcDecoderConfigurationRecord.parse(built.encode()));
        assertEquals(built.hashCode(), AvcDecoderConfigurationRecord.parse(AVCC).hashCode());
    }

    @Test
    void baselineHasNoExtensionAndShortLengthsRoundTrip() {
        AvcDecoderConfigurationRecord base = AvcDecoderConfigurationRecord.of(
                List.of(H264SpsTest.BASELINE_320X240), List.of(Hex.bytes("68cb83cb20")));
        assertNull(base.extension());
        AvcDecoderConfigurationRecord two = new AvcDecoderConfigurationRecord(66, 0xC0, 13, 2,
                base.sequenceParameterSets(), base.pictureParameterSets(), null);
        byte[] encoded = two.encode();
        assertEquals(0xFD, encoded[4] & 0xFF); // lengthSizeMinusOne 1
        assertEquals(two, AvcDecoderConfigurationRecord.parse(encoded));
        assertEquals("avc1.42c00d", two.codecString());
    }

    @Test
    void acceptsHighProfileRecordWithoutExtension() {
        byte[] noExt = Arrays.copyOf(AVCC, AVCC.length - 4);
        assertNull(AvcDecoderConfigurationRecord.parse(noExt).extension());
    }

    @Test
    void isImmutable() {
        AvcDecoderConfigurationRecord r = AvcDecoderConfigurationRecord.parse(AVCC);
        r.sequenceParameterSets().get(0)[0] = 0;
        assertEquals(0x67, r.sequenceParameterSets().get(0)[0]);
    }

    @Test
    void rejectsTruncationsAndBadFields() {
        for (int len = 0; len < AVCC.length - 4; len++) {
            byte[] cut = Arrays.copyOf(AVCC, len);
            assertThrows(MalformedMediaException.class, () -> AvcDecoderConfigurationRecord.parse(cut), "length " + len);
        }
        byte[] extCut = Arrays.copyOf(AVCC, AVCC.length - 1);
        assertThrows(MalformedMediaException.class, () -> AvcDecoderConfigurationRecord.parse(extCut));
        byte[] version = AVCC.clone();
        version[0] = 2;
        assertThrows(MalformedMediaException.class, () -> AvcDecoderConfigurationRecord.parse(version));
        byte[] lengthSize3 = AVCC.clone();
        lengthSize3[4] = (byte) 0xFE;
        assertThrows(MalformedMediaException.class, () -> AvcDecoderConfigurationRecord.parse(lengthSize3));
        byte[] absurdSpsLength = AVCC.clone();
        absurdSpsLength[6] = (byte) 0xFF;
        assertThrows(MalformedMediaException.class, () -> AvcDecoderConfigurationRecord.parse(absurdSpsLength));
        assertThrows(MalformedMediaException.class, () -> AvcDecoderConfigurationRecord.of(List.of(), List.of()));
    }
}

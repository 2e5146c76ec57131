package io.livehub.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.BitWriter;
import io.livehub.codec.Hex;
import io.livehub.media.MalformedMediaException;
import org.junit.jupiter.api.Test;

public class AudioSpecificConfigTest {

    /**
     * DecoderSpecificInfo of {@code ffmpeg -f lavfi -i sine=f=440:r=44100 -ac 2 -c:a aac out.mp4}.
     * ffprobe: profile=LC, sample_rate=44100, channels=2.
     */
    public static final byte[] FFMPEG_LC_44100_STEREO = Hex.bytes(
            "12 10"     // 00010 AOT 2 (LC) | 0100 index 4 (44100) | 0010 two channels | 0 0 0 GASpecificConfig
            + "56 e5 00"); // syncExtensionType 0x2b7, extensionAudioObjectType 5, sbrPresentFlag 0 (not read)

    @Test
    void parsesFfmpegConfig() {
        AudioSpecificConfig asc = AudioSpecificConfig.parse(FFMPEG_LC_44100_STEREO);
        assertEquals(2, asc.audioObjectType());
        assertEquals(4, asc.samplingFrequencyIndex());
        assertEquals(44100, asc.samplingFrequency());
        assertEquals(2, asc.channelConfiguration());
        assertEquals(0, asc.extensionAudioObjectType());
        assertFalse(asc.frameLengthFlag());
        assertEquals(1024, asc.samplesPerFrame());
        assertEquals("mp4a.40.2", asc.codecString());
        assertArrayEquals(Hex.bytes("1210"), asc.encode());
        assertEquals(asc, AudioSpecificConfig.of(2, 44100, 2));
    }

    @Test
    void parsesExplicitFrequencyAndEscapedObjectType() {
        // AOT 31 escape + 6 bits (42 - 32 = 10): USAC; index 15 and 24-bit 37800 Hz; 1 channel
        byte[] data = new BitWriter().bits(31, 5).bits(10, 6).bits(15, 4).bits(37800, 24).bits(1, 4).toByteArray();
        AudioSpecificConfig asc = AudioSpecificConfig.parse(data);
        assertEquals(42, asc.audioObjectType());
        assertEquals(15, asc.samplingFrequencyIndex());
        assertEquals(37800, asc.samplingFrequency());
        assertEquals(1, asc.channelConfiguration());
        assertArrayEquals(data, asc.encode());
    }

    @Test
    void parsesExplicitSbrAndPs() {
        // HE-AAC v2 as x264-era encoders write it: AOT 29, 24000 core, 1 channel, 48000 SBR, AOT 2
        byte[] data = new BitWriter().bits(29, 5).bits(6, 4).bits(1, 4).bits(3, 4).bits(2, 5)
                .bits(0, 3).toByteArray();
        AudioSpecificConfig asc = AudioSpecificConfig.parse(data);
        assertEquals(2, asc.audioObjectType());
        assertEquals(24000, asc.samplingFrequency());
        assertEquals(5, asc.extensionAudioObjectType());
        assertEquals(48000, asc.extensionSamplingFrequency());
        assertTrue(asc.psPresent());
        assertEquals("mp4a.40.29", asc.codecString());
        assertArrayEquals(data, asc.encode());

        AudioSpecificConfig sbr = new AudioSpecificConfig(2, 7, 22050, 2, 5, 4, 44100, false, true);
        assertEquals(sbr, AudioSpecificConfig.parse(sbr.encode()));
        assertEquals("mp4a.40.5", sbr.codecString());
        assertEquals(960, sbr.samplesPerFrame());
    }

    @Test
    void roundTripsEveryTableRate() {
        for (int i = 0; i <= 12; i++) {
            AudioSpecificConfig asc = AudioSpecificConfig.of(2, AacSampleRates.rateOf(i), 1 + i % 7);
            assertEquals(i, asc.samplingFrequencyIndex());
            assertEquals(asc, AudioSpecificConfig.parse(asc.encode()));
        }
        assertEquals(-1, AacSampleRates.rateOf(13));
        assertEquals(-1, AacSampleRates.indexOf(44000));
    }

    @Test
    void rejectsTruncatedAndReservedValues() {
        assertThrows(MalformedMediaException.class, () -> AudioSpecificConfig.parse(new byte[0]));
        assertThrows(MalformedMediaException.class, () -> AudioSpecificConfig.parse(Hex.bytes("12")));
        // index 13 is reserved
        assertThrows(MalformedMediaException.class, () -> AudioSpecificConfig.parse(Hex.bytes("1690")));
        // AOT 0
        assertThrows(MalformedMediaException.class, () -> AudioSpecificConfig.parse(Hex.bytes("0210")));
        // explicit frequency cut short
        assertThrows(MalformedMediaException.class, () -> AudioSpecificConfig.parse(Hex.bytes("17 80 00")));
        // explicit frequency 0
        assertThrows(MalformedMediaException.class, () -> AudioSpecificConfig.parse(Hex.bytes("1780 0000 1000")));
        // escape cut short
        assertThrows(MalformedMediaException.class, () -> AudioSpecificConfig.parse(Hex.bytes("f8")));
    }
}

package io.livehub.codec.opus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.codec.Hex;
import io.livehub.media.MalformedMediaException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

public class OpusHeadTest {

    /**
     * OpusHead of {@code ffmpeg -f lavfi -i sine=f=440:r=48000 -ac 2 -c:a libopus -f ogg}.
     * ffprobe: sample_rate=48000, channels=2, channel_layout=stereo.
     */
    public static final byte[] STEREO = Hex.bytes(
            "4f70757348656164" // "OpusHead"
            + "01"             // version 1
            + "02"             // channel count 2
            + "3801"           // pre-skip 312 (little-endian)
            + "80bb0000"       // input sample rate 48000
            + "0000"           // output gain 0
            + "00");           // mapping family 0

    /** The same with a 5.1 pan filter. ffprobe: channels=6, channel_layout=5.1. */
    public static final byte[] SURROUND_5_1 = Hex.bytes(
            "4f70757348656164" + "01"
            + "06"             // channel count 6
            + "3801" + "80bb0000" + "0000"
            + "01"             // mapping family 1 (Vorbis order)
            + "04"             // stream count 4
            + "02"             // coupled count 2
            + "000401020305"); // FL->0, C->4, FR->1, RL->2, RR->3, LFE->5

    @Test
    void parsesStereo() {
        OpusHead h = OpusHead.parse(STEREO);
        assertEquals(1, h.version());
        assertEquals(2, h.channelCount());
        assertEquals(312, h.preSkip());
        assertEquals(48000, h.inputSampleRate());
        assertEquals(0, h.outputGain());
        assertEquals(0, h.mappingFamily());
        assertEquals(1, h.streamCount());
        assertEquals(1, h.coupledCount());
        assertArrayEquals(new byte[] {0, 1}, h.channelMapping());
        assertArrayEquals(STEREO, h.encode());
        assertEquals(OpusHead.of(2, 312, 48000), h);
        assertEquals("opus", h.codecString());
    }

    @Test
    void parsesSurroundAndBuildsTheSameBytes() {
        OpusHead h = OpusHead.parse(SURROUND_5_1);
        assertEquals(6, h.channelCount());
        assertEquals(1, h.mappingFamily());
        assertEquals(4, h.streamCount());
        assertEquals(2, h.coupledCount());
        assertArrayEquals(Hex.bytes("000401020305"), h.channelMapping());
        assertArrayEquals(SURROUND_5_1, h.encode());
        assertEquals(h, OpusHead.of(6, 312, 48000));
    }

    @Test
    void roundTripsNegativeGainFamily255AndIgnoresTrailingBytes() {
        OpusHead h = new OpusHead(1, 3, 0, 44100, (short) -256, 255, 3, 0, new byte[] {2, (byte) 255, 0});
        assertEquals(h, OpusHead.parse(h.encode()));
        byte[] longer = Arrays.copyOf(STEREO, STEREO.length + 5);
        assertEquals(OpusHead.parse(STEREO), OpusHead.parse(longer));
        for (int c = 1; c <= 8; c++) {
            OpusHead v = OpusHead.of(c, 312, 48000);
            assertEquals(v, OpusHead.parse(v.encode()));
        }
    }

    @Test
    void enforcesTheRulesOfSection5_1() {
        for (int len = 0; len < STEREO.length; len++) {
            byte[] cut = Arrays.copyOf(STEREO, len);
            assertThrows(MalformedMediaException.class, () -> OpusHead.parse(cut), "length " + len);
        }
        for (int len = STEREO.length; len < SURROUND_5_1.length; len++) {
            byte[] cut = Arrays.copyOf(SURROUND_5_1, len);
            assertThrows(MalformedMediaException.class, () -> OpusHead.parse(cut), "length " + len);
        }
        assertThrows(MalformedMediaException.class, () -> OpusHead.parse(with(STEREO, 0, 'o')), "magic");
        assertThrows(MalformedMediaException.class, () -> OpusHead.parse(with(STEREO, 8, 0x10)), "major version 1");
        assertThrows(MalformedMediaException.class, () -> OpusHead.parse(with(STEREO, 9, 0)), "no channels");
        assertThrows(MalformedMediaException.class, () -> OpusHead.parse(with(STEREO, 9, 3)), "family 0, 3 channels");
        assertThrows(MalformedMediaException.class, () -> OpusHead.parse(with(SURROUND_5_1, 19, 0)), "no streams");
        assertThrows(MalformedMediaException.class, () -> OpusHead.parse(with(SURROUND_5_1, 20, 5)), "coupled > streams");
        assertThrows(MalformedMediaException.class, () -> OpusHead.parse(with(SURROUND_5_1, 21, 6)), "mapping >= N+M");
        assertThrows(MalformedMediaException.class, () -> OpusHead.parse(with(SURROUND_5_1, 18, 3)), "family 3");
        byte[] nineChannels = Hex.bytes("4f707573486561640109380180bb00000000 01 05 04 000102030405060708");
        assertThrows(MalformedMediaException.class, () -> OpusHead.parse(nineChannels), "family 1, 9 channels");
        assertEquals(255, OpusHead.parse(with(SURROUND_5_1, 21, 255)).channelMapping()[0] & 0xFF);
    }

    private static byte[] with(byte[] data, int index, int value) {
        byte[] out = data.clone();
        out[index] = (byte) value;
        return out;
    }
}

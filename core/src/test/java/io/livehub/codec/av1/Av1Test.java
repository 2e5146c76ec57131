package io.livehub.codec.av1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.BitWriter;
import io.livehub.codec.Hex;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

public class Av1Test {

    /**
     * Sequence header OBU of {@code ffmpeg -f lavfi -i testsrc=size=320x240:rate=30 -frames:v 2
     * -pix_fmt yuv420p -c:v libaom-av1 -cpu-used 8 -f obu}. ffprobe: profile=Main, level=0,
     * width=320, height=240, pix_fmt=yuv420p.
     */
    public static final byte[] SEQUENCE_HEADER_OBU = Hex.bytes(
            "0a"        // forbidden 0, obu_type 1 (sequence header), no extension, has_size_field 1
            + "0b"      // obu_size 11 (leb128)
            // 000 seq_profile 0 | 0 still_picture | 0 reduced | 0 timing_info | 0 initial_display_delay |
            // 00000 operating_points_cnt_minus_1 | 000000000000 operating_point_idc |
            // 00000 seq_level_idx 0 (level 2.0) | 1000 frame_width_bits_minus_1 8 |
            // 0111 frame_height_bits_minus_1 7 | 100111111 max_frame_width_minus_1 319 |
            // 11101111 max_frame_height_minus_1 239 | tool flags ... | color_config: 8-bit 4:2:0
            + "000000043cffbcdaf90040");

    /** The av1C box payload ffmpeg writes when it muxes the same encode to MP4. */
    public static final byte[] AV1C = Hex.bytes(
            "81"        // marker 1, version 1
            + "00"      // seq_profile 0, seq_level_idx_0 0
            + "0c"      // seq_tier_0 0, high_bitdepth 0, twelve_bit 0, monochrome 0, subsampling_x 1, subsampling_y 1, chroma_sample_position 0
            + "00"      // reserved, initial_presentation_delay_present 0
            + "0a0b000000043cffbcdaf90040"); // configOBUs: the sequence header OBU

    private static byte[] twoFrames() throws IOException {
        try (InputStream in = Av1Test.class.getResourceAsStream("testsrc-320x240-2frames-libaom.obu")) {
            return in.readAllBytes();
        }
    }

    @Test
    void parsesLibaomSequenceHeader() {
        Av1SequenceHeader sh = Av1SequenceHeader.parseObu(SEQUENCE_HEADER_OBU);
        assertEquals(0, sh.seqProfile());
        assertFalse(sh.stillPicture());
        assertFalse(sh.reducedStillPictureHeader());
        assertEquals(List.of(new Av1SequenceHeader.OperatingPoint(0, 0, 0)), sh.operatingPoints());
        assertEquals(9, sh.frameWidthBits());
        assertEquals(8, sh.frameHeightBits());
        assertEquals(320, sh.maxFrameWidth());
        assertEquals(240, sh.maxFrameHeight());
        assertEquals(8, sh.bitDepth());
        assertFalse(sh.monochrome());
        assertTrue(sh.subsamplingX());
        assertTrue(sh.subsamplingY());
        assertEquals(0, sh.chromaSamplePosition());
        assertEquals(2, sh.colorPrimaries());
        assertFalse(sh.colorRange());
        assertEquals("av01.0.00M.08", sh.codecString());
    }

    @Test
    void parsesAndBuildsFfmpegAv1c() {
        Av1CodecConfigurationRecord r = Av1CodecConfigurationRecord.parse(AV1C);
        assertEquals(0, r.seqProfile());
        assertEquals(0, r.seqLevelIdx0());
        assertTrue(r.chromaSubsamplingX());
        assertTrue(r.chromaSubsamplingY());
        assertEquals(-1, r.initialPresentationDelayMinusOne());
        assertEquals(8, r.bitDepth());
        assertArrayEquals(SEQUENCE_HEADER_OBU, r.configObus());
        assertEquals(320, r.sequenceHeader().maxFrameWidth());
        Av1CodecConfigurationRecord built = Av1CodecConfigurationRecord.of(SEQUENCE_HEADER_OBU);
        assertArrayEquals(AV1C, built.encode());
        assertEquals(r, built);
        assertEquals("av01.0.00M.08", built.codecString());
    }

    @Test
    void roundTripsOtherAv1cValues() {
        Av1CodecConfigurationRecord r = new Av1CodecConfigurationRecord(2, 13, 1, true, true, false, true, false, 0,
                4, new byte[0]);
        assertEquals(r, Av1CodecConfigurationRecord.parse(r.encode()));
        assertEquals("av01.2.13H.12", r.codecString());
        assertNull(r.sequenceHeader());
    }

    @Test
    void walksTheObusOfARealStream() throws IOException {
        byte[] file = twoFrames();
        List<ObuHeader> obus = Av1TemporalUnit.obus(Unpooled.wrappedBuffer(file));
        assertEquals(List.of(ObuType.TEMPORAL_DELIMITER, ObuType.SEQUENCE_HEADER, ObuType.FRAME,
                ObuType.TEMPORAL_DELIMITER, ObuType.FRAME), obus.stream().map(ObuHeader::type).toList());
        ObuHeader frame = obus.get(2);
        assertEquals(15, frame.offset());
        assertEquals(3, frame.headerSize()); // 0x32 and the two-byte leb128 db 0f
        assertEquals(2011, frame.payloadSize());
        assertEquals(file.length, obus.get(4).offset() + obus.get(4).totalSize());

        int secondTu = obus.get(3).offset();
        ByteBuf first = Unpooled.wrappedBuffer(Arrays.copyOf(file, secondTu));
        ByteBuf second = Unpooled.wrappedBuffer(Arrays.copyOfRange(file, secondTu, file.length));
        assertTrue(Av1TemporalUnit.containsSequenceHeader(first));
        assertTrue(Av1TemporalUnit.isKeyFrame(first)); // frame header 0x14: shown KEY_FRAME
        assertFalse(Av1TemporalUnit.containsSequenceHeader(second));
        assertFalse(Av1TemporalUnit.isKeyFrame(second)); // frame header 0x32: INTER_FRAME
        assertArrayEquals(SEQUENCE_HEADER_OBU, Av1TemporalUnit.sequenceHeaderObu(first));
        assertNull(Av1TemporalUnit.sequenceHeaderObu(second));
    }

    @Test
    void keyFrameNeedsAShownKeyFrameHeader() {
        // sequence header, then a frame OBU without size field whose header is a hidden key frame
        ByteBuf hidden = Unpooled.wrappedBuffer(SEQUENCE_HEADER_OBU, Hex.bytes("30 00"));
        assertFalse(Av1TemporalUnit.isKeyFrame(hidden));
        ByteBuf intraOnly = Unpooled.wrappedBuffer(SEQUENCE_HEADER_OBU, Hex.bytes("30 50"));
        assertFalse(Av1TemporalUnit.isKeyFrame(intraOnly));
        ByteBuf shownKey = Unpooled.wrappedBuffer(SEQUENCE_HEADER_OBU, Hex.bytes("1a 01 10")); // frame header OBU with size 1
        assertTrue(Av1TemporalUnit.isKeyFrame(shownKey));
    }

    @Test
    void parsesTimingDecoderModelOperatingPointsAndHighBitDepth() {
        BitWriter w = new BitWriter();
        w.bits(2, 3).bit(0).bit(0); // seq_profile 2, not still
        w.bit(1).bits(1001, 32).bits(60000, 32).bit(1).bits(0b00101, 5); // timing, equal interval uvlc 4
        w.bit(1).bits(9, 5).bits(90000, 32).bits(4, 5).bits(4, 5); // decoder model, buffer delay 10 bits
        w.bit(1).bits(1, 5); // initial_display_delay_present, two operating points
        w.bits(0x103, 12).bits(12, 5).bit(1).bit(1).bits(100, 10).bits(200, 10).bit(0).bit(1).bits(3, 4);
        w.bits(0x101, 12).bits(4, 5).bit(0).bit(0);
        w.bits(10, 4).bits(10, 4).bits(1919, 11).bits(1079, 11); // 11-bit sizes, 1920x1080
        w.bit(1).bits(5, 4).bits(2, 3); // frame_id_numbers_present
        w.bits(0b111, 3).bits(0b1111, 4).bit(1).bits(0b11, 2); // tools, enable_order_hint
        w.bit(0).bit(1).bit(0).bit(1); // force screen content tools 1, choose integer mv 0, force 1
        w.bits(6, 3).bits(0b111, 3); // order_hint_bits_minus_1, superres/cdef/restoration
        w.bit(1).bit(1).bit(0); // high_bitdepth, twelve_bit, not mono
        w.bit(1).bits(9, 8).bits(16, 8).bits(9, 8); // BT.2020, PQ, BT.2020 NCL
        w.bit(1).bit(1).bit(1).bits(1, 2); // full range, subsampling 1/1, chroma_sample_position 1
        w.bit(0).bit(1).trailingBits(); // separate_uv_delta_q, film grain
        byte[] payload = w.toByteArray();
        Av1SequenceHeader sh = Av1SequenceHeader.parsePayload(payload, 0, payload.length);
        assertEquals(2, sh.seqProfile());
        assertEquals(List.of(new Av1SequenceHeader.OperatingPoint(0x103, 12, 1),
                new Av1SequenceHeader.OperatingPoint(0x101, 4, 0)), sh.operatingPoints());
        assertEquals(1920, sh.maxFrameWidth());
        assertEquals(1080, sh.maxFrameHeight());
        assertEquals(12, sh.bitDepth());
        assertEquals(1, sh.chromaSamplePosition());
        assertEquals(9, sh.colorPrimaries());
        assertEquals(16, sh.transferCharacteristics());
        assertTrue(sh.colorRange());
        assertTrue(sh.filmGrainParamsPresent());
        assertEquals("av01.2.12H.12", sh.codecString());
    }

    @Test
    void parsesReducedStillPictureMonochrome() {
        BitWriter w = new BitWriter();
        w.bits(0, 3).bit(1).bit(1).bits(8, 5); // profile 0, still, reduced, level idx 8
        w.bits(7, 4).bits(7, 4).bits(63, 8).bits(47, 8); // 64x48
        w.bits(0, 3).bits(0, 3); // tools
        w.bit(0).bit(1).bit(0).bit(1).bit(0).trailingBits(); // 8-bit, mono, no colour description, full range, no grain
        byte[] obu = concat(Hex.bytes("0a"), Leb128.encode(w.toByteArray().length), w.toByteArray());
        Av1SequenceHeader sh = Av1SequenceHeader.parseObu(obu);
        assertTrue(sh.reducedStillPictureHeader());
        assertTrue(sh.monochrome());
        assertEquals(64, sh.maxFrameWidth());
        assertEquals(8, sh.seqLevelIdx());
        assertTrue(Av1TemporalUnit.isKeyFrame(Unpooled.wrappedBuffer(obu, Hex.bytes("3000"))));
        Av1CodecConfigurationRecord r = Av1CodecConfigurationRecord.of(obu);
        assertTrue(r.monochrome());
        assertEquals(r, Av1CodecConfigurationRecord.parse(r.encode()));
    }

    @Test
    void readsAndWritesLeb128WithItsLimits() {
        assertArrayEquals(Hex.bytes("db0f"), Leb128.encode(2011));
        assertArrayEquals(Hex.bytes("00"), Leb128.encode(0));
        assertArrayEquals(Hex.bytes("ffffffff0f"), Leb128.encode(Leb128.MAX_VALUE));
        long packed = Leb128.read(Unpooled.wrappedBuffer(Hex.bytes("db0f")), 0, 2);
        assertEquals(2011, Leb128.value(packed));
        assertEquals(2, Leb128.size(packed));
        // padded encodings are allowed up to eight bytes
        assertEquals(5, Leb128.value(Leb128.read(Unpooled.wrappedBuffer(Hex.bytes("8580808080808000")), 0, 8)));
        assertThrows(MalformedMediaException.class,
                () -> Leb128.read(Unpooled.wrappedBuffer(Hex.bytes("8080808080808080 00")), 0, 9));
        assertThrows(MalformedMediaException.class,
                () -> Leb128.read(Unpooled.wrappedBuffer(Hex.bytes("8080808010")), 0, 5)); // 2^32
        assertThrows(MalformedMediaException.class, () -> Leb128.read(Unpooled.wrappedBuffer(Hex.bytes("80")), 0, 1));
    }

    @Test
    void rejectsMalformedObusAndRecords() {
        assertThrows(MalformedMediaException.class, () -> Av1TemporalUnit.obus(Unpooled.wrappedBuffer(Hex.bytes("92 00"))),
                "forbidden bit");
        assertThrows(MalformedMediaException.class, () -> Av1TemporalUnit.obus(Unpooled.wrappedBuffer(Hex.bytes("0a 0c 00"))),
                "size past the end");
        assertThrows(MalformedMediaException.class, () -> Av1TemporalUnit.obus(Unpooled.wrappedBuffer(Hex.bytes("0e"))),
                "extension missing");
        assertThrows(MalformedMediaException.class, () -> Av1TemporalUnit.isKeyFrame(
                Unpooled.wrappedBuffer(Hex.bytes("0a00"))), "empty sequence header");
        for (int len = 0; len < SEQUENCE_HEADER_OBU.length; len++) {
            byte[] cut = Arrays.copyOf(SEQUENCE_HEADER_OBU, len);
            assertThrows(MalformedMediaException.class, () -> Av1SequenceHeader.parseObu(cut), "length " + len);
        }
        assertThrows(MalformedMediaException.class, () -> Av1SequenceHeader.parseObu(Hex.bytes("1200")));
        assertThrows(MalformedMediaException.class, () -> Av1SequenceHeader.parseObu(Hex.bytes("0a01e0")), "profile 7");
        for (int len = 0; len < 4; len++) {
            byte[] cut = Arrays.copyOf(AV1C, len);
            assertThrows(MalformedMediaException.class, () -> Av1CodecConfigurationRecord.parse(cut));
        }
        byte[] noMarker = AV1C.clone();
        noMarker[0] = 0x01;
        assertThrows(MalformedMediaException.class, () -> Av1CodecConfigurationRecord.parse(noMarker));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}

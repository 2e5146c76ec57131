package io.livehub.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.codec.opus.OpusHead;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden byte vectors of the PSI sections, PES headers and PCR, one comment per field. The
 * PAT and both PMTs are byte for byte what ffmpeg 5.1 writes for the same program (see
 * {@link TsFileTest} for the files), so their CRCs are checked by an independent writer too.
 */
class TsGoldenTest {

    private static final String PAT =
            "00"        // table_id: program_association_section
            + "b00d"    // section_syntax_indicator 1, '0', reserved '11', section_length 13
            + "0001"    // transport_stream_id 1
            + "c1"      // reserved '11', version_number 0, current_next_indicator 1
            + "00"      // section_number 0
            + "00"      // last_section_number 0
            + "0001"    // program_number 1
            + "f000"    // reserved '111', program_map_PID 0x1000
            + "2ab104b2"; // CRC_32

    private static final String PMT_H264_AAC =
            "02"        // table_id: TS_program_map_section
            + "b017"    // section_syntax_indicator 1, '0', reserved '11', section_length 23
            + "0001"    // program_number 1
            + "c1"      // reserved '11', version_number 0, current_next_indicator 1
            + "0000"    // section_number 0, last_section_number 0
            + "e100"    // reserved '111', PCR_PID 0x100
            + "f000"    // reserved '1111', program_info_length 0
            + "1b"      // stream_type 0x1B: AVC video
            + "e100"    // reserved '111', elementary_PID 0x100
            + "f000"    // reserved '1111', ES_info_length 0
            + "0f"      // stream_type 0x0F: ISO/IEC 13818-7 audio with ADTS
            + "e101"    // elementary_PID 0x101
            + "f000"    // ES_info_length 0
            + "2f44b99b"; // CRC_32

    private static final String PMT_HEVC_OPUS =
            "02b0270001c10000e100f000" // as above, section_length 39
            + "24"      // stream_type 0x24: HEVC video
            + "e100"    // elementary_PID 0x100
            + "f006"    // ES_info_length 6
            + "0504"    // registration_descriptor, length 4
            + "48455643" // format_identifier "HEVC"
            + "06"      // stream_type 0x06: PES packets with private data
            + "e101"    // elementary_PID 0x101
            + "f00a"    // ES_info_length 10
            + "0504"    // registration_descriptor, length 4
            + "4f707573" // format_identifier "Opus"
            + "7f02"    // extension_descriptor, length 2
            + "80"      // extension_descriptor_tag 0x80: Opus audio descriptor
            + "01"      // channel_config_code 1: mono
            + "27"; // first CRC_32 byte, the rest follows

    private static Track h264() {
        return Track.builder(CodecId.H264).id(0).timebase(Timebase.MPEG_90K).build();
    }

    private static Track aac() {
        return Track.builder(CodecId.AAC).id(1).config(new byte[] {0x12, 0x08}).build(); // AAC LC, 44.1 kHz, mono
    }

    @Test
    void writesThePatFfmpegWrites() {
        ProgramAssociationTable pat = new ProgramAssociationTable(1, 0,
                List.of(new ProgramAssociationTable.Program(1, 0x1000)));
        assertEquals(PAT, TsTestSupport.hexOf(pat.encode()));
        assertEquals(0, Crc32Mpeg2.compute(pat.encode(), 0, pat.encode().length), "CRC over the section, CRC included");
        assertEquals(pat, ProgramAssociationTable.parse(pat.encode()));
    }

    @Test
    void writesThePmtsFfmpegWrites() {
        TsMuxer m = TsMuxer.of(h264(), aac());
        byte[] pmt = m.programMapTable().encode();
        assertEquals(PMT_H264_AAC, TsTestSupport.hexOf(pmt));
        assertEquals(m.programMapTable(), ProgramMapTable.parse(pmt));

        Track hevc = Track.builder(CodecId.H265).id(0).timebase(Timebase.MPEG_90K).build();
        Track opus = Track.builder(CodecId.OPUS).id(1).config(OpusHead.of(1, 312, 48000).encode()).build();
        byte[] pmt2 = TsMuxer.of(hevc, opus).programMapTable().encode();
        assertEquals(PMT_HEVC_OPUS, TsTestSupport.hexOf(pmt2).substring(0, PMT_HEVC_OPUS.length()));
        assertEquals(0, Crc32Mpeg2.compute(pmt2, 0, pmt2.length));
        ProgramMapTable.ElementaryStream es = ProgramMapTable.parse(pmt2).streams().get(1);
        assertEquals("Opus", es.registration());
        assertArrayEquals(new byte[] {1}, es.extensionDescriptor(OpusInTs.EXTENSION_TAG));
    }

    @Test
    void writesPsiPacketsWithPointerFieldAndStuffing() {
        TsMuxer m = TsMuxer.of(h264(), aac());
        ByteBuf psi = m.writePsi(TsTestSupport.ALLOC);
        try {
            assertEquals(2 * TsPacket.SIZE, psi.readableBytes());
            // sync, PUSI 1 and PID 0, payload only with continuity_counter 0, pointer_field 0
            assertEquals("47400010" + "00" + PAT, ByteBufUtil.hexDump(psi, 0, 5 + PAT.length() / 2));
            assertEquals((byte) 0xFF, psi.getByte(TsPacket.SIZE - 1), "stuffing after the section");
            // PID 0x1000 with PUSI
            assertEquals("47500010" + "00" + PMT_H264_AAC,
                    ByteBufUtil.hexDump(psi, TsPacket.SIZE, 5 + PMT_H264_AAC.length() / 2));
        } finally {
            psi.release();
        }
        ByteBuf again = m.writePsi(TsTestSupport.ALLOC);
        try {
            assertEquals(0x11, again.getUnsignedByte(3), "the PAT's continuity counter moved on");
            assertEquals(0x11, again.getUnsignedByte(TsPacket.SIZE + 3));
        } finally {
            again.release();
        }
    }

    @Test
    void rejectsSectionsWithABadCrc() {
        byte[] pat = ByteBufUtil.decodeHexDump(PAT);
        pat[pat.length - 1] ^= 1;
        assertThrows(MalformedMediaException.class, () -> ProgramAssociationTable.parse(pat));
        byte[] pmt = ByteBufUtil.decodeHexDump(PMT_H264_AAC);
        pmt[10] ^= 0x40;
        assertThrows(MalformedMediaException.class, () -> ProgramMapTable.parse(pmt));
    }

    @Test
    void writesPesHeaderWithPtsAndDts() {
        ByteBuf b = Unpooled.buffer();
        // pts 133200 (1.48 s), dts 126000 (1.4 s): the first video frame of the ffmpeg files
        PesHeader.write(b, PesHeader.STREAM_ID_VIDEO, -1, 133200, 126000);
        assertEquals(
                "000001"      // packet_start_code_prefix
                + "e0"        // stream_id: video stream 0
                + "0000"      // PES_packet_length 0: unbounded (video)
                + "84"        // '10', not scrambled, data_alignment_indicator 1
                + "c0"        // PTS_DTS_flags '11', no other optional fields
                + "0a"        // PES_header_data_length 10
                + "31000910a1" // '0011', PTS 32..30 = 0, marker, 29..15 = 4, marker, 14..0 = 0x850, marker
                + "110007d861", // '0001', DTS 126000 the same way
                ByteBufUtil.hexDump(b));
        PesHeader h = PesHeader.parse(b, 0, b.writerIndex());
        assertEquals(new PesHeader(0xE0, 0, 133200, 126000, 19), h);
        b.release();
    }

    @Test
    void writesPesHeaderWithPtsOnlyAndWrapsAt33Bits() {
        ByteBuf b = Unpooled.buffer();
        long pts = (1L << 33) + 126000; // a 64-bit time stamp past the wrap
        PesHeader.write(b, PesHeader.STREAM_ID_AUDIO, 100, pts, pts);
        assertEquals(
                "000001c0"    // start code, stream_id: audio stream 0
                + "006c"      // PES_packet_length 108: 3 + 5 header bytes + 100 payload bytes
                + "84"        // '10', data_alignment_indicator 1
                + "80"        // PTS_DTS_flags '10': PTS only
                + "05"        // PES_header_data_length 5
                + "210007d861", // '0010', PTS 126000
                ByteBufUtil.hexDump(b));
        assertEquals(126000, PesHeader.parse(b, 0, b.writerIndex()).pts());
        b.clear();
        PesHeader.write(b, PesHeader.STREAM_ID_AUDIO, 0, (1L << 33) - 1, (1L << 33) - 1);
        assertEquals("2fffffffff", ByteBufUtil.hexDump(b, 9, 5), "every bit of the largest PTS");
        b.release();
    }

    @Test
    void rejectsBadPesHeaders() {
        assertThrows(MalformedMediaException.class, () -> parse("000002e000008480052100010001"));
        assertThrows(MalformedMediaException.class, () -> parse("000001e0000084"), "truncated");
        assertThrows(MalformedMediaException.class, () -> parse("000001e000008440052100010001"),
                "PTS_DTS_flags 01");
        assertThrows(MalformedMediaException.class, () -> parse("000001e0000080800a2100010001"),
                "header_data_length past the end");
        assertThrows(MalformedMediaException.class, () -> parse("000001c0000480800521000100010000"),
                "PES_packet_length shorter than the header");
    }

    private static void parse(String hex) {
        ByteBuf b = TsTestSupport.hex(hex);
        try {
            PesHeader.parse(b, 0, b.writerIndex());
        } finally {
            b.release();
        }
    }

    @Test
    void writesPcr() {
        ByteBuf b = Unpooled.buffer();
        TsMuxer.writePcr(b, 63000);
        // base 63000 in 33 bits, 6 reserved bits '111111', extension 0: what ffmpeg writes for 0.7 s
        assertEquals("00007b0c7e00", ByteBufUtil.hexDump(b));
        b.clear();
        TsMuxer.writePcr(b, (1L << 33) + 1);
        assertEquals("00000000fe00", ByteBufUtil.hexDump(b), "base modulo 2^33, low bit in byte 4");
        b.release();
    }

    @Test
    void crcMatchesTheStandardCheckValue() {
        // CRC-32/MPEG-2 of "123456789" is 0x0376E6E7.
        assertEquals(0x0376E6E7, Crc32Mpeg2.compute("123456789".getBytes(), 0, 9));
    }
}

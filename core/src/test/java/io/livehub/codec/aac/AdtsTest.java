package io.livehub.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.Hex;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdtsTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    /** First header of the test resource, written by ffmpeg's aac encoder. */
    private static final byte[] FIRST_HEADER = Hex.bytes(
            "fff1"      // syncword fff, ID 0 (MPEG-4), layer 00, protection_absent 1
            + "50"      // profile 01 (LC), sampling_frequency_index 0100 (44100), private 0, channel bit 0
            + "80"      // channel_configuration 010, original/copy 0, home 0, copyright bits 0, length 00
            + "2b3f"    // aac_frame_length 345 = 00 0101 0110 01, buffer fullness high bits 11111
            + "fc");    // adts_buffer_fullness 0x7ff (VBR), number_of_raw_data_blocks_in_frame 0

    /**
     * Reads {@code sine-440hz-44100-stereo.adts}: {@code ffmpeg -f lavfi -i sine=f=440:r=44100
     * -t 0.1 -ac 2 -c:a aac -f adts}. ffprobe: profile=LC, sample_rate=44100, channels=2,
     * nb_read_packets=6.
     */
    private static byte[] resource() throws IOException {
        try (InputStream in = AdtsTest.class.getResourceAsStream("sine-440hz-44100-stereo.adts")) {
            return in.readAllBytes();
        }
    }

    @Test
    void parsesFfmpegHeader() {
        AdtsHeader h = AdtsHeader.parse(Unpooled.wrappedBuffer(FIRST_HEADER), 0);
        assertEquals(new AdtsHeader(false, true, 1, 4, 2, 345, 0x7FF, 1, 0), h);
        assertEquals(7, h.headerLength());
        assertEquals(338, h.payloadLength());
        assertEquals(AudioSpecificConfig.of(2, 44100, 2), h.audioSpecificConfig());
        ByteBuf out = ALLOC.buffer();
        try {
            h.encode(out);
            assertArrayEquals(FIRST_HEADER, ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }

    @Test
    void roundTripsAFileThroughRawFrames() throws IOException {
        byte[] file = resource();
        ByteBuf in = ALLOC.buffer().writeBytes(file);
        ByteBuf rebuilt = ALLOC.buffer();
        List<Integer> sizes = new ArrayList<>();
        try {
            while (in.isReadable()) {
                AudioSpecificConfig asc = AdtsHeader.parse(in, in.readerIndex()).audioSpecificConfig();
                ByteBuf raw = Adts.readRawFrame(in);
                try {
                    sizes.add(raw.readableBytes());
                    ByteBuf adts = Adts.toAdts(raw, asc, ALLOC);
                    rebuilt.writeBytes(adts);
                    adts.release();
                } finally {
                    raw.release();
                }
            }
            assertEquals(List.of(338, 408, 333, 344, 402, 7), sizes);
            assertArrayEquals(file, ByteBufUtil.getBytes(rebuilt));
        } finally {
            in.release();
            rebuilt.release();
        }
    }

    @Test
    void handlesCrcHeaders() {
        AdtsHeader h = new AdtsHeader(true, false, 1, 3, 1, 9 + 100, 0x123, 1, 0xBEEF);
        ByteBuf buf = ALLOC.buffer();
        try {
            h.encode(buf);
            assertEquals(9, buf.readableBytes());
            assertEquals(h, AdtsHeader.parse(buf, 0));
            buf.writeZero(100);
            ByteBuf raw = Adts.readRawFrame(buf);
            assertEquals(100, raw.readableBytes());
            raw.release();
        } finally {
            buf.release();
        }
    }

    @Test
    void rejectsBadHeadersAndFrames() {
        assertThrows(MalformedMediaException.class, () -> AdtsHeader.parse(Unpooled.wrappedBuffer(Hex.bytes("fff150802b3f")), 0));
        assertThrows(MalformedMediaException.class, () -> AdtsHeader.parse(Unpooled.wrappedBuffer(Hex.bytes("fff050802b3ffc")), 0),
                "CRC announced but missing");
        assertThrows(MalformedMediaException.class, () -> AdtsHeader.parse(Unpooled.wrappedBuffer(Hex.bytes("ffe150802b3ffc")), 0),
                "sync word");
        assertThrows(MalformedMediaException.class, () -> AdtsHeader.parse(Unpooled.wrappedBuffer(Hex.bytes("fff350802b3ffc")), 0),
                "layer");
        assertThrows(MalformedMediaException.class, () -> AdtsHeader.parse(Unpooled.wrappedBuffer(Hex.bytes("fff174802b3ffc")), 0),
                "index 13");
        assertThrows(MalformedMediaException.class, () -> AdtsHeader.parse(Unpooled.wrappedBuffer(Hex.bytes("fff1508000dffc")), 0),
                "frame length 6");
        ByteBuf truncated = Unpooled.wrappedBuffer(FIRST_HEADER, new byte[10]);
        assertThrows(MalformedMediaException.class, () -> Adts.readRawFrame(truncated));
        assertEquals(0, truncated.readerIndex());
        ByteBuf twoBlocks = Unpooled.wrappedBuffer(Hex.bytes("fff15080013ffd 00 00 00"));
        assertThrows(MalformedMediaException.class, () -> Adts.readRawFrame(twoBlocks));
        ByteBuf tooBig = Unpooled.wrappedBuffer(new byte[8185]);
        assertThrows(MalformedMediaException.class, () -> Adts.toAdts(tooBig, AudioSpecificConfig.of(2, 48000, 2), ALLOC));
        assertThrows(MalformedMediaException.class,
                () -> Adts.toAdts(Unpooled.EMPTY_BUFFER, AudioSpecificConfig.of(2, 37800, 2), ALLOC));
        assertTrue(AdtsHeader.of(AudioSpecificConfig.of(2, 48000, 2), 8184).frameLength() == AdtsHeader.MAX_FRAME_LENGTH);
    }
}

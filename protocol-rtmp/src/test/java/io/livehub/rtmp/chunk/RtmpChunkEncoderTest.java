package io.livehub.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.rtmp.message.Hex;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.livehub.rtmp.message.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RtmpChunkEncoderTest {

    private final TrackingAllocator alloc = new TrackingAllocator();
    private EmbeddedChannel ch;

    @AfterEach
    void noLeaks() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
    }

    private EmbeddedChannel channel(RtmpChunkConfig config) {
        ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new RtmpChunkEncoder(config));
        return ch;
    }

    private RtmpMessage message(int type, int msid, long ts, int csid, String payloadHex) {
        return new RtmpMessage(type, msid, ts, csid, alloc.wrap(Hex.bytes(payloadHex)));
    }

    private String writeAndRead(Object msg) {
        ch.writeOutbound(msg);
        ByteBuf out = ch.readOutbound();
        try {
            return Hex.of(out);
        } finally {
            out.release();
        }
    }

    @Test
    void type0HeaderWithAutomaticChunkStream() {
        channel(RtmpChunkConfig.DEFAULT);
        assertEquals(Hex.of(Hex.bytes("""
                03              # fmt 0, csid 3 (command on stream 0)
                000000          # timestamp 0
                000004          # length 4
                14              # AMF0 command
                00000000        # msid 0
                01020304        # payload
                """)), writeAndRead(message(20, 0, 0, RtmpMessage.CSID_AUTO, "01020304")));
        assertEquals(Hex.of(Hex.bytes("""
                06 000064 000001 09 01000000 aa   # video goes on csid 6, ts 100, msid 1
                """)), writeAndRead(message(9, 1, 100, RtmpMessage.CSID_AUTO, "aa")));
    }

    @Test
    void continuationsRepeatTheExtendedTimestamp() {
        channel(RtmpChunkConfig.DEFAULT);
        String payload = "11".repeat(128) + "22".repeat(72);
        assertEquals(Hex.of(Hex.bytes("""
                06              # fmt 0, csid 6
                ffffff          # extended timestamp follows
                0000c8          # length 200
                09              # video
                01000000        # msid 1
                01000000        # extended timestamp 0x01000000
                """ + "11".repeat(128) + """
                c6              # fmt 3 continuation
                01000000        # extended timestamp again
                """ + "22".repeat(72))), writeAndRead(message(9, 1, 0x0100_0000L, 6, payload)));
    }

    @Test
    void largeChunkStreamIds() {
        channel(RtmpChunkConfig.DEFAULT);
        assertEquals("0000" + "000000000001090100000001", writeAndRead(message(9, 1, 0, 64, "01")));
        assertEquals("01ffff" + "000000000001090100000001", writeAndRead(message(9, 1, 0, 65599, "01")));
        String payload = "ab".repeat(129);
        assertEquals("010001" + "0000000000810901000000" + "ab".repeat(128) + "c10001" + "ab",
                writeAndRead(message(9, 1, 0, 320, payload)));     // continuation keeps the 3-byte form
    }

    @Test
    void setChunkSizeChangesTheOutgoingChunkSize() {
        channel(RtmpChunkConfig.DEFAULT);
        RtmpChunkEncoder encoder = ch.pipeline().get(RtmpChunkEncoder.class);
        assertEquals("02000000000004010000000000000100", writeAndRead(RtmpProtocolControl.setChunkSize(alloc, 256)));
        assertEquals(256, encoder.chunkSize());
        String hex = writeAndRead(message(9, 1, 0, 6, "33".repeat(256)));
        assertEquals("06000000000100090100000" + "0" + "33".repeat(256), hex);   // one chunk
    }

    @Test
    void passesPreEncodedRunsThroughInOrder() {
        channel(RtmpChunkConfig.DEFAULT);
        RtmpMessage media = message(9, 1, 40, 6, "55".repeat(300));
        ByteBuf shared = RtmpChunkWriter.encode(alloc, media, 128);
        media.release();
        ByteBuf forThisPlayer = shared.retainedDuplicate();
        ch.writeOutbound(message(20, 1, 0, 5, "aa"), forThisPlayer, message(20, 1, 0, 5, "bb"));
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        ByteBuf third = ch.readOutbound();
        assertEquals("05000000000001140100000" + "0aa", Hex.of(first));
        assertSame(forThisPlayer, second, "the run is written as is");
        assertEquals(Hex.of(shared), Hex.of(second));
        assertEquals("05000000000001140100000" + "0bb", Hex.of(third), "type 0 header after the run");
        first.release();
        second.release();
        third.release();
        shared.release();
        assertNull(ch.readOutbound());
    }

    @Test
    void writerRunLengthAndContent() {
        RtmpMessage m = message(9, 7, 0xFFFF_FFFFL, 70, "66".repeat(1000));
        ByteBuf run = RtmpChunkWriter.encode(alloc, m, 300);
        assertEquals(RtmpChunkWriter.runLength(1000, 70, 0xFFFF_FFFFL, 300), run.readableBytes());
        assertEquals(1000, m.content().readableBytes(), "payload indexes unchanged");
        // Decoding the run gives the message back.
        EmbeddedChannel dec = new EmbeddedChannel();
        dec.config().setAllocator(alloc);
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        dec.pipeline().addLast(decoder);
        RtmpMessage scs = RtmpProtocolControl.setChunkSize(alloc, 300);
        dec.writeInbound(RtmpChunkWriter.encode(alloc, scs, 128), run);
        scs.release();
        ((RtmpMessage) dec.readInbound()).release();
        RtmpMessage back = dec.readInbound();
        assertEquals(m.typeId(), back.typeId());
        assertEquals(7, back.messageStreamId());
        assertEquals(0xFFFF_FFFFL, back.timestamp());
        assertEquals(70, back.chunkStreamId());
        assertEquals(Hex.of(m.content()), Hex.of(back.content()));
        back.release();
        m.release();
        assertFalse(dec.finishAndReleaseAll());
    }

    @Test
    void compressedHeaders() {
        channel(RtmpChunkConfig.builder().compressHeaders(true).build());
        assertEquals("06000064000001090100000011", writeAndRead(message(9, 1, 100, 6, "11")));
        assertEquals("86000028" + "22", writeAndRead(message(9, 1, 140, 6, "22")));            // fmt 2: delta 40
        assertEquals("46000014000002" + "09" + "3333", writeAndRead(message(9, 1, 160, 6, "3333"))); // fmt 1: new length
        assertEquals("06000000000001090200000044", writeAndRead(message(9, 2, 0, 6, "44")));  // other msid: fmt 0
        ByteBuf run = alloc.wrap(Hex.bytes("c6"));     // any pass-through resets the state
        assertEquals("c6", writeAndRead(run));
        assertEquals("06000014000001090200000055", writeAndRead(message(9, 2, 20, 6, "55")));
    }

    @Test
    void invalidMessageFailsThePromiseAndIsReleased() {
        channel(RtmpChunkConfig.DEFAULT);
        RtmpMessage bad = message(RtmpMessageType.SET_CHUNK_SIZE, 0, 0, 2, "00000000");
        assertThrows(RuntimeException.class, () -> ch.writeOutbound(bad));
        assertEquals(0, bad.refCnt());
    }

    @Test
    void randomRoundTripsThroughTheDecoder() {
        Random random = new Random(42);
        channel(RtmpChunkConfig.builder().compressHeaders(true).build());
        EmbeddedChannel dec = new EmbeddedChannel();
        dec.config().setAllocator(alloc);
        dec.pipeline().addLast(new RtmpChunkDecoder());
        List<String> expected = new ArrayList<>();
        int[] csids = {3, 4, 5, 6, 64, 319, 320, 65599};
        long[] timestamps = new long[csids.length];
        for (int i = 0; i < 300; i++) {
            if (i % 50 == 0) {
                int size = 1 + random.nextInt(1000);
                ch.writeOutbound(RtmpProtocolControl.setChunkSize(alloc, size));
                expected.add("1/" + size);
            }
            int k = random.nextInt(csids.length);
            timestamps[k] += random.nextInt(3) == 0 ? 0xFFFFFF : random.nextInt(100);
            timestamps[k] &= RtmpMessage.TIMESTAMP_MAX;
            byte[] payload = new byte[random.nextInt(3000)];
            random.nextBytes(payload);
            int type = 8 + random.nextInt(2);
            ch.writeOutbound(new RtmpMessage(type, 1, timestamps[k], csids[k], alloc.wrap(payload)));
            expected.add(type + "/" + csids[k] + "/" + timestamps[k] + "/" + Hex.of(payload));
        }
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            // Split the bytes at random points, as TCP would.
            while (b.isReadable()) {
                dec.writeInbound(b.readRetainedSlice(Math.min(b.readableBytes(), 1 + random.nextInt(700))));
            }
            b.release();
        }
        List<String> actual = new ArrayList<>();
        for (RtmpMessage m; (m = dec.readInbound()) != null; ) {
            if (m.typeId() == 1) {
                actual.add("1/" + RtmpProtocolControl.readChunkSize(m));
            } else {
                actual.add(m.typeId() + "/" + m.chunkStreamId() + "/" + m.timestamp() + "/" + Hex.of(m.content()));
            }
            m.release();
        }
        assertEquals(expected, actual);
        dec.finishAndReleaseAll();
    }
}

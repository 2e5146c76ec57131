package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.rtmp.chunk.RtmpChunkConfig;
import io.livehub.rtmp.chunk.RtmpChunkEncoder;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtmpChunkScannerTest {

    /** A message as the listener saw it: the head of a media message, the whole of another. */
    private record Seen(int typeId, int streamId, long timestamp, int length, byte[] bytes) {
    }

    /** Collects what the scanner reports. */
    private static final class Collector implements RtmpChunkScanner.Listener {
        final List<Seen> seen = new ArrayList<>();

        @Override
        public void onMedia(int typeId, long timestamp, int length, byte[] head, int headLength) {
            seen.add(new Seen(typeId, -1, timestamp, length, Arrays.copyOf(head, headLength)));
        }

        @Override
        public void onMessage(int typeId, int messageStreamId, long timestamp, ByteBuf payload) {
            seen.add(new Seen(typeId, messageStreamId, timestamp, payload.readableBytes(), ByteBufUtil.getBytes(payload)));
            payload.release();
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Encodes messages with Livehub's chunk encoder. */
    private static ByteBuf encode(boolean compress, RtmpMessage... messages) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkEncoder(
                RtmpChunkConfig.builder().compressHeaders(compress).build()));
        for (RtmpMessage m : messages) {
            ch.writeOutbound(m);
        }
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        ch.finishAndReleaseAll();
        return all;
    }

    private static List<Seen> scan(ByteBuf in, int... pieces) {
        Collector c = new Collector();
        RtmpChunkScanner s = new RtmpChunkScanner(c);
        int p = 0;
        while (in.isReadable()) {
            int n = Math.min(in.readableBytes(), pieces[p++ % pieces.length]);
            ByteBuf piece = in.readSlice(n);
            s.scan(piece);
            assertEquals(0, piece.readableBytes());
        }
        s.release();
        return c.seen;
    }

    @Test
    void followsTheEncoderAcrossChunkSizesAndHeaderTypes() {
        byte[] video1 = bytes(5000, 1);
        byte[] video2 = bytes(300, 2);
        byte[] audio = bytes(40, 3);
        for (boolean compress : new boolean[] {false, true}) {
            for (int[] pieces : new int[][] {{1}, {7, 1, 300}, {1 << 16}}) {
                ByteBuf in = encode(compress,
                        new RtmpMessage(RtmpMessageType.VIDEO, 1, 0, 6, Unpooled.wrappedBuffer(video1)),
                        new RtmpMessage(RtmpMessageType.AUDIO, 1, 10, 4, Unpooled.wrappedBuffer(audio)),
                        new RtmpMessage(RtmpMessageType.VIDEO, 1, 40, 6, Unpooled.wrappedBuffer(video2)),
                        RtmpProtocolControl.setChunkSize(Unpooled.buffer().alloc(), 4096),
                        new RtmpMessage(RtmpMessageType.VIDEO, 1, 80, 6, Unpooled.wrappedBuffer(video1)),
                        new RtmpMessage(RtmpMessageType.AUDIO, 1, 33, 4, Unpooled.wrappedBuffer(audio)));
                List<Seen> seen = scan(in, pieces);
                String what = "compress " + compress + " pieces " + Arrays.toString(pieces);
                assertEquals(6, seen.size(), what);
                assertEquals(9, seen.get(0).typeId(), what);
                assertEquals(0, seen.get(0).timestamp(), what);
                assertEquals(5000, seen.get(0).length(), what);
                assertArrayEquals(Arrays.copyOf(video1, RtmpChunkScanner.HEAD_CAPTURE), seen.get(0).bytes(), what);
                assertEquals(10, seen.get(1).timestamp(), what);
                assertArrayEquals(audio, seen.get(1).bytes(), what);
                assertEquals(40, seen.get(2).timestamp(), what);
                assertEquals(300, seen.get(2).length(), what);
                assertEquals(RtmpMessageType.SET_CHUNK_SIZE, seen.get(3).typeId(), what);
                assertEquals(80, seen.get(4).timestamp(), what);
                assertEquals(5000, seen.get(4).length(), what);
                assertEquals(33, seen.get(5).timestamp(), what);
            }
        }
    }

    @Test
    void assemblesControlMessagesLongerThanAChunk() {
        byte[] command = bytes(700, 4);
        ByteBuf in = encode(false, new RtmpMessage(RtmpMessageType.AMF0_COMMAND, 3, 0, 3, Unpooled.wrappedBuffer(command)));
        List<Seen> seen = scan(in, 50);
        assertEquals(1, seen.size());
        assertEquals(3, seen.get(0).streamId());
        assertArrayEquals(command, seen.get(0).bytes());
    }

    @Test
    void readsExtendedTimestampsOnEveryChunk() {
        long ts = 0x0123_4567L;
        ByteBuf in = encode(false,
                new RtmpMessage(RtmpMessageType.VIDEO, 1, ts, 6, Unpooled.wrappedBuffer(bytes(1000, 5))),
                new RtmpMessage(RtmpMessageType.VIDEO, 1, ts + 40, 6, Unpooled.wrappedBuffer(bytes(10, 6))));
        List<Seen> seen = scan(in, 1);
        assertEquals(2, seen.size());
        assertEquals(ts, seen.get(0).timestamp());
        assertEquals(1000, seen.get(0).length());
        assertEquals(ts + 40, seen.get(1).timestamp());
    }

    @Test
    void takesUnrepeatedExtendedTimestampBytesAsBody() {
        ByteBuf in = Unpooled.buffer();
        // Type 0, csid 6, extended timestamp 0x01000000, 130 bytes of video, stream 1.
        in.writeByte(0x06).writeMedium(0xFFFFFF).writeMedium(130).writeByte(9).writeIntLE(1).writeInt(0x0100_0000);
        in.writeBytes(bytes(128, 7));
        // Continuation without the repeated extended timestamp: just the last two body bytes.
        in.writeByte(0xC6).writeByte(0xAB).writeByte(0xCD);
        // Next message: type 0 audio on csid 4.
        in.writeByte(0x04).writeMedium(5).writeMedium(2).writeByte(8).writeIntLE(1).writeShort(0xAF01);
        List<Seen> seen = scan(in, 1 << 16);
        assertEquals(2, seen.size());
        assertEquals(0x0100_0000L, seen.get(0).timestamp());
        assertEquals(130, seen.get(0).length());
        assertEquals(5, seen.get(1).timestamp());
        assertArrayEquals(new byte[] {(byte) 0xAF, 1}, seen.get(1).bytes());
    }

    @Test
    void aType3HeaderThatStartsAMessageAddsTheLastDeltaAgain() {
        ByteBuf in = Unpooled.buffer();
        in.writeByte(0x04).writeMedium(100).writeMedium(1).writeByte(8).writeIntLE(1).writeByte(0xAF);
        in.writeByte(0xC4).writeByte(0xAF);
        in.writeByte(0x84).writeMedium(23).writeByte(0xAF); // type 2: delta 23
        in.writeByte(0xC4).writeByte(0xAF);
        List<Seen> seen = scan(in, 1);
        assertEquals(List.of(100L, 200L, 223L, 246L), seen.stream().map(Seen::timestamp).toList());
    }

    @Test
    void refusesMalformedStreams() {
        ByteBuf type1First = Unpooled.buffer().writeByte(0x46).writeMedium(0).writeMedium(1).writeByte(9).writeByte(0);
        assertThrows(IllegalStateException.class, () -> scan(type1First, 100));
        ByteBuf hugeControl = Unpooled.buffer().writeByte(0x03).writeMedium(0).writeMedium(0xFFFFFF).writeByte(20)
                .writeIntLE(0);
        assertThrows(IllegalStateException.class, () -> scan(hugeControl, 100));
        ByteBuf zeroChunkSize = Unpooled.buffer().writeByte(0x02).writeMedium(0).writeMedium(4).writeByte(1)
                .writeIntLE(0).writeInt(0);
        assertThrows(IllegalStateException.class, () -> scan(zeroChunkSize, 100));
    }
}

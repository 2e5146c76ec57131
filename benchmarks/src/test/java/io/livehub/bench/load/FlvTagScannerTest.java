package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.flv.FlvHeader;
import io.livehub.flv.FlvTagEncoder;
import io.livehub.flv.FlvTagType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlvTagScannerTest {

    /** A tag as the listener saw it. */
    private record Seen(int type, long timestamp, int size, byte[] head) {
    }

    private static byte[] body(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes a stream of a header, a script tag, a video tag larger than the capture and small tags. */
    private static ByteBuf stream(List<byte[]> bodies) {
        ByteBuf out = Unpooled.buffer();
        new FlvHeader(true, true).write(out);
        FlvTagType[] types = {FlvTagType.SCRIPT_DATA, FlvTagType.VIDEO, FlvTagType.AUDIO, FlvTagType.VIDEO};
        long[] times = {0, 40, 0x1234_5678L, 0xFFFF_FFFFL};
        for (int i = 0; i < bodies.size(); i++) {
            FlvTagEncoder.write(new io.livehub.flv.FlvTag(types[i], times[i], Unpooled.wrappedBuffer(bodies.get(i))), out);
        }
        return out;
    }

    private static List<Seen> scanInPieces(ByteBuf stream, int[] pieceSizes) {
        List<Seen> seen = new ArrayList<>();
        FlvTagScanner s = new FlvTagScanner(true, (type, ts, size, head, n) -> seen.add(new Seen(type, ts, size,
                Arrays.copyOf(head, n))));
        int p = 0;
        while (stream.isReadable()) {
            int n = Math.min(stream.readableBytes(), pieceSizes[p++ % pieceSizes.length]);
            ByteBuf piece = stream.readSlice(n);
            s.scan(piece);
            assertEquals(0, piece.readableBytes());
        }
        assertEquals(seen.size(), s.tags());
        return seen;
    }

    @Test
    void reportsEveryTagWithItsFirstBytesWhateverThePieces() {
        List<byte[]> bodies = List.of(body(30, 1), body(5000, 2), body(7, 3), new byte[0]);
        for (int[] pieces : new int[][] {{1}, {3, 17}, {4096}, {13, 11, 1, 200}}) {
            List<Seen> seen = scanInPieces(stream(bodies), pieces);
            assertEquals(4, seen.size(), Arrays.toString(pieces));
            assertEquals(18, seen.get(0).type());
            assertEquals(9, seen.get(1).type());
            assertEquals(40, seen.get(1).timestamp());
            assertEquals(5000, seen.get(1).size());
            assertArrayEquals(Arrays.copyOf(bodies.get(1), FlvTagScanner.HEAD_CAPTURE), seen.get(1).head());
            assertEquals(8, seen.get(2).type());
            assertEquals(0x1234_5678L, seen.get(2).timestamp(), "TimestampExtended is the high byte");
            assertArrayEquals(bodies.get(2), seen.get(2).head());
            assertEquals(0, seen.get(3).size());
            assertEquals(0xFFFF_FFFFL, seen.get(3).timestamp());
        }
    }

    @Test
    void skipsExtraHeaderBytesAndCanStartWithoutAHeader() {
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 12, 9, 9, 9});
        in.writeInt(0);
        FlvTagEncoder.write(new io.livehub.flv.FlvTag(FlvTagType.AUDIO, 7, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 1})), in);
        List<Long> times = new ArrayList<>();
        new FlvTagScanner(true, (type, ts, size, head, n) -> times.add(ts)).scan(in);
        assertEquals(List.of(7L), times);

        ByteBuf noHeader = Unpooled.buffer();
        noHeader.writeInt(0);
        FlvTagEncoder.write(new io.livehub.flv.FlvTag(FlvTagType.VIDEO, 9, Unpooled.wrappedBuffer(new byte[3])), noHeader);
        times.clear();
        new FlvTagScanner(false, (type, ts, size, head, n) -> times.add(ts)).scan(noHeader);
        assertEquals(List.of(9L), times);
    }

    @Test
    void stopsOnSomethingThatIsNotFlv() {
        FlvTagScanner s = new FlvTagScanner(true, (type, ts, size, head, n) -> { });
        assertThrows(IllegalStateException.class,
                () -> s.scan(Unpooled.copiedBuffer("HTTP/1.1 404 Not Found\r\n", java.nio.charset.StandardCharsets.US_ASCII)));
        ByteBuf later = Unpooled.wrappedBuffer(new byte[10]);
        s.scan(later);
        assertEquals(0, later.readableBytes(), "later input is ignored");

        ByteBuf badType = Unpooled.buffer();
        new FlvHeader(true, true).write(badType);
        badType.writeBytes(new byte[] {7, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThrows(IllegalStateException.class, () -> new FlvTagScanner(true, (type, ts, size, head, n) -> { })
                .scan(badType));
    }
}

package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedBodyDecoderTest {

    private static String decode(String coded, int piece) {
        StringBuilder out = new StringBuilder();
        ChunkedBodyDecoder d = new ChunkedBodyDecoder(b -> out.append(b.toString(StandardCharsets.US_ASCII)));
        ByteBuf in = Unpooled.copiedBuffer(coded, StandardCharsets.US_ASCII);
        while (in.isReadable()) {
            d.decode(in.readSlice(Math.min(piece, in.readableBytes())));
        }
        return out + (d.isDone() ? "|done" : "");
    }

    @Test
    void removesTheCodingWhateverThePieces() {
        String coded = "5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n";
        for (int piece : new int[] {1, 2, 5, 1000}) {
            assertEquals("hello 0123456789|done", decode(coded, piece), "piece " + piece);
        }
        assertTrue(decode("ff\r\n", 1).isEmpty());
    }

    @Test
    void refusesABadSizeLine() {
        assertThrows(IllegalStateException.class, () -> decode("zz\r\n", 10));
        assertThrows(IllegalStateException.class, () -> decode("\r\n", 10));
        assertThrows(IllegalStateException.class, () -> decode("1".repeat(80), 10));
    }
}

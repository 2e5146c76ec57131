package io.livehub.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Test helpers for byte literals. */
final class Bytes {

    private Bytes() {
    }

    /** Returns a heap buffer holding the hex digits of {@code hex}; spaces and '|' are ignored. */
    static ByteBuf hex(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replaceAll("[\\s|]", ""));
        return Unpooled.buffer(bytes.length).writeBytes(bytes); // never the shared EMPTY_BUFFER
    }

    /** Returns the readable bytes of {@code b} as lower-case hex without moving its indexes. */
    static String hexOf(ByteBuf b) {
        return ByteBufUtil.hexDump(b);
    }

    /** Asserts that {@code actual} holds {@code expectedHex}, and releases {@code actual}. */
    static void assertHexAndRelease(String expectedHex, ByteBuf actual) {
        try {
            assertEquals(expectedHex.replaceAll("[\\s|]", "").toLowerCase(), hexOf(actual));
        } finally {
            actual.release();
        }
    }

    /** Releases {@code b} and asserts that this freed it, so no slice of it leaked. */
    static void assertReleased(ByteBuf b) {
        boolean freed = b.release();
        if (!freed) {
            throw new AssertionError("buffer still referenced after release, refCnt=" + b.refCnt());
        }
    }
}

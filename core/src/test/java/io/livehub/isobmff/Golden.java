package io.livehub.isobmff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Golden byte vectors written one field per line: hex digits, then {@code //} and what the field is. */
final class Golden {

    private Golden() {
    }

    /** Returns the hex digits of {@code annotated}, lower case, without spaces and comments. */
    static String hex(String annotated) {
        StringBuilder b = new StringBuilder();
        for (String line : annotated.split("\n")) {
            int comment = line.indexOf("//");
            b.append((comment >= 0 ? line.substring(0, comment) : line).replaceAll("\\s", ""));
        }
        return b.toString().toLowerCase();
    }

    /** Asserts that the readable bytes of {@code actual} are {@code annotated}, without moving its indexes. */
    static void assertBytes(String annotated, ByteBuf actual) {
        assertEquals(hex(annotated), ByteBufUtil.hexDump(actual));
    }

    static void assertBytes(String annotated, byte[] actual) {
        assertEquals(hex(annotated), ByteBufUtil.hexDump(actual));
    }
}

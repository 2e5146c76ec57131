package io.livehub.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Turns annotated hex (whitespace ignored, {@code #} starts a comment) into bytes and back. */
public final class Hex {

    private Hex() {
    }

    /** Returns the bytes of annotated hex such as {@code "03 # fmt 0, csid 3"}. */
    public static byte[] bytes(String annotated) {
        StringBuilder sb = new StringBuilder();
        for (String line : annotated.split("\n")) {
            int hash = line.indexOf('#');
            sb.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s+", ""));
        }
        return ByteBufUtil.decodeHexDump(sb);
    }

    /** Returns the readable bytes of {@code b} as hex, without moving its indexes. */
    public static String of(ByteBuf b) {
        return ByteBufUtil.hexDump(b);
    }

    /** Returns {@code bytes} as hex. */
    public static String of(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }
}

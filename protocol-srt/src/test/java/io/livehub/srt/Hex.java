package io.livehub.srt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Test helper: hex strings (spaces and newlines allowed) to buffers and back. */
public final class Hex {

    private Hex() {
    }

    public static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s+", ""));
    }

    public static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    public static String hex(ByteBuf b) {
        return ByteBufUtil.hexDump(b);
    }
}

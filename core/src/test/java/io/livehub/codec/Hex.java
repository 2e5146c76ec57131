package io.livehub.codec;

import java.util.HexFormat;

/** Turns the hex literals of golden vectors into bytes; spaces and underscores are ignored. */
public final class Hex {

    private Hex() {
    }

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s_]", ""));
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}

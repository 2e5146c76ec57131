package io.livehub.srt.handshake;

import io.livehub.media.MalformedMediaException;
import java.nio.charset.StandardCharsets;

/**
 * Packs and unpacks the Stream ID handshake extension (draft-sharabayko-srt section
 * 3.2.1.3). libsrt stores the UTF-8 string in 32-bit words that it byte-swaps as a whole
 * block, so on the wire every group of four bytes appears reversed ({@code "abcd"} is sent
 * as {@code "dcba"}); the last group is padded with zero bytes before the swap.
 *
 * <p>Thread-safety: stateless.
 */
public final class SrtStreamIdExtension {

    /** The longest stream id libsrt accepts, in bytes (SRTO_STREAMID). */
    public static final int MAX_LENGTH = 512;

    private SrtStreamIdExtension() {
    }

    /**
     * Returns the SID extension block for {@code streamId}.
     *
     * @throws IllegalArgumentException when the UTF-8 form is longer than {@link #MAX_LENGTH}
     */
    public static SrtHandshakeExtension encode(String streamId) {
        byte[] s = streamId.getBytes(StandardCharsets.UTF_8);
        if (s.length > MAX_LENGTH) {
            throw new IllegalArgumentException("stream id longer than " + MAX_LENGTH + " bytes");
        }
        byte[] out = new byte[(s.length + 3) & ~3];
        for (int i = 0; i < s.length; i++) {
            out[(i & ~3) + 3 - (i & 3)] = s[i];
        }
        return new SrtHandshakeExtension(SrtHandshakeExtension.SID, out);
    }

    /**
     * Returns the stream id in a SID block; trailing zero bytes (padding) are dropped.
     *
     * @throws MalformedMediaException when the block is longer than {@link #MAX_LENGTH}
     */
    public static String decode(SrtHandshakeExtension ext) {
        byte[] b = ext.contentUnsafe();
        if (b.length > MAX_LENGTH) {
            throw new MalformedMediaException("SRT stream id of " + b.length + " bytes (limit " + MAX_LENGTH + ")");
        }
        byte[] s = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            s[i] = b[(i & ~3) + 3 - (i & 3)];
        }
        int n = s.length;
        while (n > 0 && s[n - 1] == 0) {
            n--;
        }
        return new String(s, 0, n, StandardCharsets.UTF_8);
    }
}

package io.livehub.flv;

import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the FourCC codec identifiers of Enhanced RTMP v2 ("FourCC" tables of
 * "Enhanced Video" and "Enhanced Audio"), and tells the ones the hub models from the ones the
 * spec defines but the hub has no {@link CodecId} for.
 */
final class FourCc {

    /** FourCCs the spec defines for which the hub has no codec: dropped, not rejected. */
    private static final String[] KNOWN_UNSUPPORTED_VIDEO = {"vp08"};
    private static final String[] KNOWN_UNSUPPORTED_AUDIO = {"fLaC", "ac-3", "ec-3"};

    private FourCc() {
    }

    /**
     * Reads a FourCC and returns its codec, or null when the spec defines it but the hub does
     * not support it.
     *
     * <p>Ownership: {@code in} is borrowed; its reader index moves by 4.
     *
     * @throws MalformedMediaException when fewer than 4 bytes remain or the FourCC is unknown
     */
    static CodecId read(ByteBuf in, boolean video) {
        if (in.readableBytes() < 4) {
            throw new MalformedMediaException("enhanced " + (video ? "video" : "audio")
                    + " tag truncated in its FourCC");
        }
        int raw = in.readInt();
        String s = toString(raw);
        CodecId codec = CodecId.fromFourCc(s);
        if (codec != null && (codec.kind() == TrackKind.VIDEO) == video) {
            return codec;
        }
        for (String known : video ? KNOWN_UNSUPPORTED_VIDEO : KNOWN_UNSUPPORTED_AUDIO) {
            if (known.equals(s)) {
                return null;
            }
        }
        throw new MalformedMediaException("unknown " + (video ? "video" : "audio") + " FourCC " + printable(raw));
    }

    /** Writes the FourCC of {@code codec}. Ownership: {@code out} is borrowed. */
    static void write(ByteBuf out, CodecId codec) {
        String s = codec.fourCc();
        if (s == null) {
            throw new IllegalArgumentException(codec + " has no FourCC");
        }
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String toString(int raw) {
        byte[] b = {(byte) (raw >>> 24), (byte) (raw >>> 16), (byte) (raw >>> 8), (byte) raw};
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String printable(int raw) {
        String s = toString(raw);
        for (int i = 0; i < 4; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return String.format("0x%08x", raw);
            }
        }
        return "'" + s + "'";
    }
}

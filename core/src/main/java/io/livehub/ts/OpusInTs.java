package io.livehub.ts;

import io.livehub.codec.opus.OpusHead;
import io.netty.buffer.ByteBuf;

/**
 * Carries Opus in MPEG-TS as the Opus-in-TS mapping describes it (ETSI draft TS "Opus in
 * MPEG-2 TS" v0.1.3, <a href="https://wiki.xiph.org/OpusTS">wiki.xiph.org/OpusTS</a>), the
 * way ffmpeg writes and reads it: stream type 0x06 in {@code private_stream_1} PES packets, a
 * registration descriptor with {@code format_identifier} "Opus", an extension descriptor
 * (tag 0x7F, extension tag 0x80) holding the {@code channel_config_code}, and an
 * {@code opus_control_header} before every Opus packet.
 *
 * <p>Thread-safety: stateless.
 */
final class OpusInTs {

    /** The {@code extension_descriptor_tag} of the Opus audio descriptor. */
    static final int EXTENSION_TAG = 0x80;
    /** The 11-bit {@code control_header_prefix}, 0x3FF, in place at the top of 16 bits. */
    static final int CONTROL_PREFIX = 0x7FE0;
    static final int START_TRIM_FLAG = 0x10;
    static final int END_TRIM_FLAG = 0x08;
    static final int CONTROL_EXTENSION_FLAG = 0x04;
    /** Two channels of dual mono: two uncoupled streams, mapping family 255. */
    static final int DUAL_MONO = 0x80;
    /** The longest Opus packet duration, 120 ms at 48 kHz (RFC 6716 §3.2.5). */
    static final int MAX_PACKET_SAMPLES = 5760;

    private OpusInTs() {
    }

    /**
     * Returns the PMT ES_info of an Opus stream: the registration descriptor and the Opus
     * audio descriptor.
     *
     * @throws IllegalArgumentException when the channel layout needs the explicit form
     *     ({@code channel_config_code} 0x81), which is not written
     */
    static byte[] descriptors(OpusHead head) {
        return new byte[] {
            ProgramMapTable.REGISTRATION_DESCRIPTOR, 4, 'O', 'p', 'u', 's',
            (byte) ProgramMapTable.EXTENSION_DESCRIPTOR, 2, (byte) EXTENSION_TAG, (byte) channelConfigCode(head),
        };
    }

    /**
     * Returns the {@code channel_config_code} of {@code head}: the channel count for mapping
     * family 0 and for family 1 with the Vorbis layout of 3 to 8 channels, 0x80 for dual mono.
     *
     * @throws IllegalArgumentException for any other layout
     */
    static int channelConfigCode(OpusHead head) {
        int c = head.channelCount();
        if (head.mappingFamily() == 0) {
            return c;
        }
        if (head.mappingFamily() == 1 && c <= 8) {
            OpusHead standard = OpusHead.of(c, head.preSkip(), head.inputSampleRate());
            if (standard.streamCount() == head.streamCount() && standard.coupledCount() == head.coupledCount()
                    && java.util.Arrays.equals(standard.channelMapping(), head.channelMapping())) {
                return c;
            }
        }
        if (head.mappingFamily() == 255 && c == 2 && head.streamCount() == 2 && head.coupledCount() == 0) {
            return DUAL_MONO;
        }
        throw new IllegalArgumentException("Opus channel layout has no short channel_config_code: " + head);
    }

    /**
     * Returns the OpusHead that {@code channel_config_code} implies, with {@code preSkip}, or
     * null for the explicit form (0x81) and reserved codes. Code 0 is two channels of one
     * coupled stream without a defined layout (family 255).
     */
    static OpusHead headOf(int code, int preSkip) {
        if (code >= 1 && code <= 8) {
            return OpusHead.of(code, preSkip, 0);
        }
        if (code == 0) {
            return new OpusHead(1, 2, preSkip, 0, (short) 0, 255, 1, 1, new byte[] {0, 1});
        }
        if (code == DUAL_MONO) {
            return new OpusHead(1, 2, preSkip, 0, (short) 0, 255, 2, 0, new byte[] {0, 1});
        }
        return null;
    }

    /** Returns the size of a control header for an {@code auSize}-byte packet. */
    static int controlHeaderLength(int auSize, boolean startTrim) {
        return 2 + auSize / 255 + 1 + (startTrim ? 2 : 0);
    }

    /**
     * Writes an {@code opus_control_header}: the prefix and flags, {@code au_size} as a run of
     * 0xFF bytes and a final byte below 255, then the start trim when it is not negative.
     *
     * <p>Ownership: {@code out} is borrowed; its writer index advances.
     */
    static void writeControlHeader(ByteBuf out, int auSize, int startTrim) {
        out.writeShort(CONTROL_PREFIX | (startTrim >= 0 ? START_TRIM_FLAG : 0));
        int n = auSize;
        while (n >= 255) {
            out.writeByte(0xFF);
            n -= 255;
        }
        out.writeByte(n);
        if (startTrim >= 0) {
            out.writeShort(startTrim & 0x1FFF); // 3 reserved bits, then start_trim
        }
    }

    /**
     * Returns the duration of an Opus packet in 48 kHz samples from its TOC byte and, for
     * code 3, its frame count byte (RFC 6716 §3.1 and §3.2.5), or -1 when the packet is
     * empty, truncated or longer than 120 ms.
     *
     * <p>Ownership: {@code packet} is borrowed; its indexes do not move.
     */
    static int packetSamples(ByteBuf packet, int index, int length) {
        if (length < 1) {
            return -1;
        }
        int toc = packet.getUnsignedByte(index);
        int config = toc >>> 3;
        int frameSamples;
        if (config < 12) {
            frameSamples = new int[] {480, 960, 1920, 2880}[config & 3]; // SILK: 10, 20, 40, 60 ms
        } else if (config < 16) {
            frameSamples = (config & 1) == 0 ? 480 : 960; // hybrid: 10, 20 ms
        } else {
            frameSamples = 120 << (config & 3); // CELT: 2.5, 5, 10, 20 ms
        }
        int frames;
        switch (toc & 3) {
            case 0:
                frames = 1;
                break;
            case 1:
            case 2:
                frames = 2;
                break;
            default:
                if (length < 2) {
                    return -1;
                }
                frames = packet.getUnsignedByte(index + 1) & 0x3F;
                break;
        }
        int samples = frames * frameSamples;
        return samples == 0 || samples > MAX_PACKET_SAMPLES ? -1 : samples;
    }
}

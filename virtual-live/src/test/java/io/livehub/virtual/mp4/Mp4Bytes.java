package io.livehub.virtual.mp4;

import io.livehub.codec.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds small MP4 files box by box for tests (ISO/IEC 14496-12). Field values are written as
 * annotated hex at the call sites; this class only adds box headers and offsets.
 */
final class Mp4Bytes {

    private Mp4Bytes() {
    }

    /** Returns the bytes of the hex digits in {@code hex}; spaces and underscores are ignored. */
    static byte[] hex(String hex) {
        return Hex.bytes(hex);
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Returns a box: a 32-bit size, the type, then {@code content}. */
    static byte[] box(String type, byte[]... content) {
        byte[] body = cat(content);
        return cat(u32(8 + body.length), type.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    /** Returns a full box: a box whose content starts with version and 24-bit flags. */
    static byte[] fullBox(String type, int version, int flags, byte[]... content) {
        return box(type, cat(new byte[] {(byte) version, (byte) (flags >>> 16), (byte) (flags >>> 8), (byte) flags}),
                cat(content));
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** An AVCDecoderConfigurationRecord with a 4-byte SPS and a 2-byte PPS, NAL lengths of {@code lengthSize}. */
    static byte[] avcC(int lengthSize) {
        return box("avcC", hex("01 64 00 16" // version 1, High profile, compatibility 0, level 2.2
                        + String.format("%02x", 0xFC | (lengthSize - 1)) // reserved 6 bits, lengthSizeMinusOne
                        + "e1 0004 67640016"   // one SPS of 4 bytes
                        + "01 0002 68ee"));     // one PPS of 2 bytes
    }

    /** A VisualSampleEntry of {@code type}, 320x240, holding {@code config}. */
    static byte[] visualEntry(String type, byte[] config) {
        return box(type, hex("000000000000 0001"            // reserved, data_reference_index 1
                + "0000 0000 000000000000000000000000"      // pre_defined, reserved, pre_defined
                + "0140 00f0"                               // width 320, height 240
                + "00480000 00480000 00000000 0001"         // 72 dpi, 72 dpi, reserved, frame_count 1
                + "00".repeat(32)                           // compressorname
                + "0018 ffff"),                             // depth 24, pre_defined -1
                config);
    }

    /** An AudioSampleEntry of {@code type}, 2 channels at 44.1 kHz, holding {@code config}. */
    static byte[] audioEntry(String type, byte[] config) {
        return box(type, hex("000000000000 0001"  // reserved, data_reference_index 1
                + "0000 0000 00000000"            // version 0, revision, vendor
                + "0002 0010 0000 0000"           // channelcount 2, samplesize 16, pre_defined, reserved
                + "ac440000"),                    // samplerate 44100 (16.16)
                config);
    }

    /** An esds for AAC-LC 44.1 kHz stereo: ES_Descriptor, DecoderConfigDescriptor, AudioSpecificConfig. */
    static byte[] esds() {
        return fullBox("esds", 0, 0, hex("03 19 0001 00"   // ES_Descriptor, 25 bytes, ES_ID 1, no flags
                + "04 11 40 15 000000 00000000 00000000"  // DecoderConfigDescriptor: MPEG-4 Audio, audio stream
                + "05 02 1210"                            // DecoderSpecificInfo: AAC-LC, 44.1 kHz, 2 channels
                + "06 01 02"));                           // SLConfigDescriptor, predefined 2
    }

    /** A stsd with one entry. */
    static byte[] stsd(byte[] entry) {
        return fullBox("stsd", 0, 0, u32(1), entry);
    }

    /** A trak with tkhd (id {@code id}), mdhd ({@code timescale}), hdlr ({@code handler}), then {@code stbl}. */
    static byte[] trak(int id, long timescale, String handler, byte[] elst, byte[] stbl) {
        byte[] tkhd = fullBox("tkhd", 0, 3, hex("00000000 00000000"), u32(id), hex("00".repeat(68)));
        byte[] mdhd = fullBox("mdhd", 0, 0, hex("00000000 00000000"), u32(timescale), hex("00000000 55c4 0000"));
        byte[] hdlr = fullBox("hdlr", 0, 0, hex("00000000"), handler.getBytes(StandardCharsets.ISO_8859_1),
                hex("00000000 00000000 00000000 00"));
        byte[] edts = elst == null ? new byte[0] : box("edts", elst);
        return box("trak", tkhd, edts, box("mdia", mdhd, hdlr, box("minf", box("stbl", stbl))));
    }

    /** A movie header with timescale 1000. */
    static byte[] mvhd() {
        return fullBox("mvhd", 0, 0, hex("00000000 00000000 000003e8 00000000"), hex("00".repeat(80)));
    }

    static byte[] ftyp() {
        return box("ftyp", hex("69736f6d 00000200 69736f6d 61766331")); // isom, 512, isom avc1
    }
}

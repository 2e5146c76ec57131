package io.livehub.virtual.mp4;

import io.livehub.codec.opus.OpusHead;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.virtual.UnsupportedMediaException;

/**
 * What the first entry of a track's sample description box ({@code stsd}, ISO/IEC 14496-12,
 * 8.5.2) says: the codec, its configuration in the form the hub's {@link io.livehub.media.Track}
 * keeps it, and the NAL unit length size of the samples.
 *
 * <p>Supported entries: {@code avc1}/{@code avc3} with {@code avcC} and {@code hvc1}/{@code hev1}
 * with {@code hvcC} (ISO/IEC 14496-15, 5.4 and 8.4), {@code av01} with {@code av1C} (AV1
 * ISOBMFF binding, 2.3), {@code mp4a} with an AAC {@code esds} (ISO/IEC 14496-14, 5.6 and
 * 14496-1, 7.2.6.5) and {@code Opus} with {@code dOps} (Opus in ISOBMFF, 4.3). Anything else is
 * refused with {@link UnsupportedMediaException} naming the entry.
 *
 * @param codec         the codec
 * @param config        avcC/hvcC (with lengthSizeMinusOne set to 3, as the hub's frames use
 *                      4-byte lengths), av1C, AudioSpecificConfig or OpusHead
 * @param nalLengthSize the NAL unit length size of the samples in the file (1, 2 or 4), 0 when
 *                      the codec has no NAL units
 */
public record SampleDescription(CodecId codec, byte[] config, int nalLengthSize, int width, int height,
                                int sampleRate, int channels) {

    private static final int AVC1 = BoxHeader.type("avc1");
    private static final int AVC3 = BoxHeader.type("avc3");
    private static final int HVC1 = BoxHeader.type("hvc1");
    private static final int HEV1 = BoxHeader.type("hev1");
    private static final int AV01 = BoxHeader.type("av01");
    private static final int MP4A = BoxHeader.type("mp4a");
    private static final int OPUS = BoxHeader.type("Opus");
    private static final int AVCC = BoxHeader.type("avcC");
    private static final int HVCC = BoxHeader.type("hvcC");
    private static final int AV1C = BoxHeader.type("av1C");
    private static final int ESDS = BoxHeader.type("esds");
    private static final int DOPS = BoxHeader.type("dOps");
    private static final int WAVE = BoxHeader.type("wave");

    /** Size of VisualSampleEntry's fields after the 8 bytes of SampleEntry (14496-12, 12.1.3). */
    private static final int VISUAL_FIELDS = 70;
    /** Size of AudioSampleEntry's fields after the 8 bytes of SampleEntry (14496-12, 12.2.3). */
    private static final int AUDIO_FIELDS = 20;

    /**
     * Parses the content of an {@code stsd} box of a track with handler {@code handler}
     * ({@code vide} or {@code soun}).
     *
     * @param file the file's name, for messages
     * @throws UnsupportedMediaException when the entry's codec is not one the hub carries
     * @throws MalformedMediaException when the box is malformed
     */
    static SampleDescription parse(BoxData stsd, boolean video, String file) {
        stsd.skip(4); // version, flags
        long count = stsd.u32();
        if (count < 1) {
            throw new MalformedMediaException("stsd without entries in " + file);
        }
        int[] type = new int[1];
        BoxData entry = stsd.child(type);
        if (entry == null) {
            throw new MalformedMediaException("stsd without entries in " + file);
        }
        String kind = video ? "video" : "audio";
        int t = type[0];
        if (video && (t == AVC1 || t == AVC3 || t == HVC1 || t == HEV1 || t == AV01)) {
            return visual(entry, t, file);
        }
        if (!video && (t == MP4A || t == OPUS)) {
            return audio(entry, t, file);
        }
        throw new UnsupportedMediaException("unsupported " + kind + " codec '" + BoxHeader.name(t).trim() + "' in "
                + file);
    }

    private static SampleDescription visual(BoxData e, int type, String file) {
        e.skip(8 + 16);
        int width = e.u16();
        int height = e.u16();
        e.skip(VISUAL_FIELDS - 20);
        int want = type == AV01 ? AV1C : type == AVC1 || type == AVC3 ? AVCC : HVCC;
        CodecId codec = type == AV01 ? CodecId.AV1 : type == AVC1 || type == AVC3 ? CodecId.H264 : CodecId.H265;
        int[] t = new int[1];
        BoxData child;
        while ((child = e.child(t)) != null) {
            if (t[0] != want) {
                continue;
            }
            byte[] config = child.bytes(child.remaining());
            int lengthSize = 0;
            if (codec == CodecId.H264) {
                // AVCDecoderConfigurationRecord (14496-15, 5.3.3.1): lengthSizeMinusOne in byte 4.
                if (config.length < 7 || config[0] != 1) {
                    throw new MalformedMediaException("bad avcC of " + config.length + " bytes in " + file);
                }
                lengthSize = (config[4] & 0x03) + 1;
                config[4] |= 0x03;
            } else if (codec == CodecId.H265) {
                // HEVCDecoderConfigurationRecord (14496-15, 8.3.3.1): lengthSizeMinusOne in byte 21.
                if (config.length < 23) {
                    throw new MalformedMediaException("bad hvcC of " + config.length + " bytes in " + file);
                }
                lengthSize = (config[21] & 0x03) + 1;
                config[21] |= 0x03;
            } else if (config.length < 4) {
                throw new MalformedMediaException("bad av1C of " + config.length + " bytes in " + file);
            }
            if (lengthSize == 3) {
                throw new MalformedMediaException(codec + " configuration has the reserved NAL unit length size 3 in "
                        + file);
            }
            return new SampleDescription(codec, config, lengthSize, width, height, 0, 0);
        }
        throw new MalformedMediaException("sample entry '" + BoxHeader.name(type) + "' without its '"
                + BoxHeader.name(want) + "' in " + file);
    }

    private static SampleDescription audio(BoxData e, int type, String file) {
        e.skip(8);
        int version = e.u16(); // QuickTime sound description version; 0 in ISOBMFF
        e.skip(6);
        int channels = e.u16();
        e.skip(6);
        int rate = (int) (e.u32() >>> 16);
        if (version == 1) {
            e.skip(16); // QuickTime: samples per packet, bytes per packet, bytes per frame, bytes per sample
        } else if (version == 2) {
            e.skip(36); // QuickTime: sizeOfStructOnly, rate as double, channels, flags, ...
        } else if (version != 0) {
            throw new MalformedMediaException("unknown sound description version " + version + " in " + file);
        }
        int want = type == OPUS ? DOPS : ESDS;
        BoxData found = find(e, want, 0);
        if (found == null) {
            throw new MalformedMediaException("sample entry '" + BoxHeader.name(type) + "' without its '"
                    + BoxHeader.name(want) + "' in " + file);
        }
        if (type == OPUS) {
            byte[] head = opusHead(found, file);
            OpusHead h = OpusHead.parse(head);
            return new SampleDescription(CodecId.OPUS, head, 0, 0, 0, 48_000, h.channelCount());
        }
        byte[] asc = audioSpecificConfig(found, file);
        return new SampleDescription(CodecId.AAC, asc, 0, 0, 0, rate, channels);
    }

    /** Finds {@code want} among the children, looking into a QuickTime {@code wave} box once. */
    private static BoxData find(BoxData parent, int want, int depth) {
        int[] t = new int[1];
        BoxData child;
        while ((child = parent.child(t)) != null) {
            if (t[0] == want) {
                return child;
            }
            if (t[0] == WAVE && depth == 0) {
                BoxData inner = find(child, want, 1);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /**
     * Rewrites an OpusSpecificBox (Opus in ISOBMFF, 4.3.2: big-endian, version 0) as the
     * OpusHead of RFC 7845, 5.1 (little-endian, version 1), the form the hub keeps.
     */
    static byte[] opusHead(BoxData d, String file) {
        int version = d.u8();
        if (version != 0) {
            throw new MalformedMediaException("dOps version " + version + " is not 0 in " + file);
        }
        int channels = d.u8();
        int preSkip = d.u16();
        long rate = d.u32();
        short gain = (short) d.u16();
        int family = d.u8();
        int streams;
        int coupled;
        byte[] mapping;
        if (family == 0) {
            if (channels < 1 || channels > 2) {
                throw new MalformedMediaException("dOps family 0 with " + channels + " channels in " + file);
            }
            streams = 1;
            coupled = channels - 1;
            mapping = channels == 1 ? new byte[] {0} : new byte[] {0, 1};
        } else {
            streams = d.u8();
            coupled = d.u8();
            mapping = d.bytes(channels);
        }
        return new OpusHead(1, channels, preSkip, rate, gain, family, streams, coupled, mapping).encode();
    }

    /**
     * Finds the AudioSpecificConfig in an {@code esds}: ES_Descriptor (tag 3), then its
     * DecoderConfigDescriptor (tag 4) for MPEG-4 or MPEG-2 AAC, then DecoderSpecificInfo (tag 5)
     * (ISO/IEC 14496-1, 7.2.6.5 to 7.2.6.7).
     */
    static byte[] audioSpecificConfig(BoxData esds, String file) {
        esds.skip(4); // version, flags
        BoxData es = descriptor(esds, 0x03, file);
        es.skip(2); // ES_ID
        int flags = es.u8();
        if ((flags & 0x80) != 0) {
            es.skip(2); // dependsOn_ES_ID
        }
        if ((flags & 0x40) != 0) {
            es.skip(es.u8()); // URL
        }
        if ((flags & 0x20) != 0) {
            es.skip(2); // OCR_ES_Id
        }
        BoxData dcd = descriptor(es, 0x04, file);
        int objectType = dcd.u8();
        // 0x40: MPEG-4 Audio; 0x66-0x68: MPEG-2 AAC Main, LC, SSR (14496-1, table 5).
        if (objectType != 0x40 && (objectType < 0x66 || objectType > 0x68)) {
            String name = objectType == 0x69 || objectType == 0x6B ? "mp3" : String.format("mp4a.%02x", objectType);
            throw new UnsupportedMediaException("unsupported audio codec '" + name + "' in " + file);
        }
        dcd.skip(12); // streamType, bufferSizeDB, maxBitrate, avgBitrate
        BoxData dsi = descriptor(dcd, 0x05, file);
        if (dsi.remaining() < 2) {
            throw new MalformedMediaException("AudioSpecificConfig of " + dsi.remaining() + " bytes in " + file);
        }
        return dsi.bytes(dsi.remaining());
    }

    /** Skips to the descriptor with {@code tag} among the following ones and returns its body. */
    private static BoxData descriptor(BoxData d, int tag, String file) {
        while (d.remaining() > 0) {
            int t = d.u8();
            int size = 0;
            for (int i = 0; i < 4; i++) {
                int b = d.u8();
                size = size << 7 | (b & 0x7F);
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (size > d.remaining()) {
                throw new MalformedMediaException("esds descriptor " + t + " of " + size + " bytes overruns its box in "
                        + file);
            }
            BoxData body = d.slice(size, "esds descriptor " + t);
            if (t == tag) {
                return body;
            }
        }
        throw new MalformedMediaException("esds without descriptor " + tag + " in " + file);
    }
}

package io.livehub.isobmff;

import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.av1.Av1CodecConfigurationRecord;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h265.HevcDecoderConfigurationRecord;
import io.livehub.codec.opus.OpusHead;
import io.livehub.media.Track;

/**
 * Writes the one sample entry of a track's {@code stsd} (ISO/IEC 14496-12 §8.5.2) with its
 * codec configuration box.
 *
 * <p>Thread-safety: stateless.
 */
final class SampleEntryWriter {

    /** {@code objectTypeIndication} of MPEG-4 audio (ISO/IEC 14496-1 Table 5). */
    static final int OTI_MPEG4_AUDIO = 0x40;
    /** {@code objectTypeIndication} of MPEG-1 audio, which MP3 is. */
    static final int OTI_MPEG1_AUDIO = 0x6B;

    private static final int ES_DESCR_TAG = 0x03;
    private static final int DECODER_CONFIG_DESCR_TAG = 0x04;
    private static final int DEC_SPECIFIC_INFO_TAG = 0x05;
    private static final int SL_CONFIG_DESCR_TAG = 0x06;
    /** {@code streamType} 5, audio, shifted left 2, with the reserved bit set (14496-1 §7.2.6.6). */
    private static final int AUDIO_STREAM_TYPE_BYTE = 0x05 << 2 | 0x01;
    /** 72 dpi in 16.16 fixed point, the value §12.1.3.2 asks for. */
    private static final int DPI_72 = 0x0048_0000;

    private SampleEntryWriter() {
    }

    /** Writes the sample entry of {@code t}. */
    static void write(BoxWriter w, IsoTrack t) {
        Track track = t.track();
        byte[] config = track.config();
        switch (track.codec()) {
            case H264:
                AvcDecoderConfigurationRecord.parse(config); // rejects a malformed configuration here, not in the player
                visual(w, "avc1", track).box("avcC", withFourByteLengths(config, 4)).end();
                break;
            case H265:
                HevcDecoderConfigurationRecord.parse(config);
                visual(w, "hvc1", track).box("hvcC", withFourByteLengths(config, 21)).end();
                break;
            case AV1:
                Av1CodecConfigurationRecord.parse(config);
                visual(w, "av01", track).box("av1C", config).end();
                break;
            case AAC: {
                AudioSpecificConfig asc = AudioSpecificConfig.parse(config);
                int channels = track.channels() > 0 ? track.channels() : Math.max(1, asc.channelConfiguration());
                int rate = track.sampleRate() > 0 ? track.sampleRate() : asc.samplingFrequency();
                audio(w, "mp4a", channels, rate);
                esds(w, OTI_MPEG4_AUDIO, config);
                w.end();
                break;
            }
            case MP3:
                audio(w, "mp4a", Math.max(1, track.channels()), track.sampleRate());
                esds(w, OTI_MPEG1_AUDIO, null);
                w.end();
                break;
            case OPUS: {
                OpusHead head = OpusHead.parse(config);
                // Opus-in-ISOBMFF §4.3: channelcount is the output channel count, samplerate 48000.
                audio(w, "Opus", head.channelCount(), IsoTrack.OPUS_TIMESCALE);
                w.box("dOps", dOps(head));
                w.end();
                break;
            }
            default:
                throw new IllegalArgumentException("no sample entry for " + track.codec());
        }
    }

    /**
     * Returns an avcC or hvcC with {@code lengthSizeMinusOne} set to 3: hub frames carry 4-byte
     * NAL unit lengths whatever the source used (14496-15 §5.3.3.1.2 and §8.3.3.1.2).
     */
    static byte[] withFourByteLengths(byte[] config, int lengthSizeIndex) {
        byte[] out = config.clone();
        out[lengthSizeIndex] |= 0x03;
        return out;
    }

    /** Opens a {@code VisualSampleEntry} (§12.1.3) and writes its fields; the caller adds the configuration box and ends it. */
    private static BoxWriter visual(BoxWriter w, String format, Track track) {
        sampleEntry(w, format);
        return w.u16(0) // pre_defined
                .u16(0) // reserved
                .zeros(12) // pre_defined[3]
                .u16(track.width())
                .u16(track.height())
                .u32(DPI_72) // horizresolution
                .u32(DPI_72) // vertresolution
                .u32(0) // reserved
                .u16(1) // frame_count: one frame per sample
                .zeros(32) // compressorname: empty Pascal string, padded
                .u16(0x0018) // depth: colour without alpha
                .u16(0xFFFF); // pre_defined = -1
    }

    /** Opens an {@code AudioSampleEntry} (§12.2.3) and writes its fields; the caller adds the configuration box and ends it. */
    private static void audio(BoxWriter w, String format, int channels, int sampleRate) {
        sampleEntry(w, format);
        w.zeros(8) // reserved[2]
                .u16(channels)
                .u16(16) // samplesize
                .u16(0) // pre_defined
                .u16(0) // reserved
                // samplerate is 16.16; a rate above 65535 Hz does not fit and is left 0 for the
                // decoder configuration to say.
                .u32(sampleRate <= 0xFFFF ? (long) sampleRate << 16 : 0);
    }

    /** Opens a {@code SampleEntry} (§8.5.2.2): six reserved bytes and the data reference index. */
    private static void sampleEntry(BoxWriter w, String format) {
        w.begin(format).zeros(6).u16(1); // data_reference_index: the one 'url ' entry of dref
    }

    /**
     * Writes an {@code esds} box (ISO/IEC 14496-14 §5.6): an {@code ES_Descriptor} holding a
     * {@code DecoderConfigDescriptor} with the decoder specific info (the AudioSpecificConfig
     * for AAC, none for MP3) and the predefined MP4 {@code SLConfigDescriptor}
     * (ISO/IEC 14496-1 §7.2.6.5 to §7.2.6.8).
     */
    static void esds(BoxWriter w, int objectTypeIndication, byte[] decoderSpecificInfo) {
        int dsiLength = decoderSpecificInfo == null ? 0 : descriptorLength(decoderSpecificInfo.length);
        int decoderConfigLength = descriptorLength(13 + dsiLength);
        int slConfigLength = descriptorLength(1);
        w.beginFull("esds", 0, 0);
        descriptorHeader(w, ES_DESCR_TAG, 3 + decoderConfigLength + slConfigLength);
        w.u16(0) // ES_ID: 0 in a file (14496-14 §3.1.2)
                .u8(0); // no streamDependence, URL or OCR stream; streamPriority 0
        descriptorHeader(w, DECODER_CONFIG_DESCR_TAG, 13 + dsiLength);
        w.u8(objectTypeIndication)
                .u8(AUDIO_STREAM_TYPE_BYTE) // streamType audio, upStream 0, reserved 1
                .u24(0) // bufferSizeDB: unknown
                .u32(0) // maxBitrate: unknown
                .u32(0); // avgBitrate: unknown (variable)
        if (decoderSpecificInfo != null) {
            descriptorHeader(w, DEC_SPECIFIC_INFO_TAG, decoderSpecificInfo.length);
            w.bytes(decoderSpecificInfo);
        }
        descriptorHeader(w, SL_CONFIG_DESCR_TAG, 1);
        w.u8(0x02); // predefined: 2, reserved for MP4 files
        w.end();
    }

    /** Returns the size of a descriptor with {@code payloadLength} bytes: tag, length and payload. */
    private static int descriptorLength(int payloadLength) {
        return 1 + sizeFieldLength(payloadLength) + payloadLength;
    }

    /** Returns how many bytes the expandable size field of 14496-1 §8.3.3 needs: 7 bits per byte. */
    private static int sizeFieldLength(int payloadLength) {
        int n = 1;
        while (payloadLength >= 1 << (7 * n)) {
            n++;
        }
        return n;
    }

    private static void descriptorHeader(BoxWriter w, int tag, int payloadLength) {
        w.u8(tag);
        for (int i = sizeFieldLength(payloadLength) - 1; i >= 0; i--) {
            int seven = (payloadLength >>> (7 * i)) & 0x7F;
            w.u8(i > 0 ? seven | 0x80 : seven); // the top bit says another size byte follows
        }
    }

    /**
     * Returns the payload of a {@code dOps} box (Opus-in-ISOBMFF §4.3.2) for {@code head}: the
     * OpusHead fields without its magic signature, all big-endian where OpusHead is
     * little-endian, version 0, and the channel mapping table only for a family other than 0.
     */
    static byte[] dOps(OpusHead head) {
        boolean table = head.mappingFamily() != 0;
        byte[] out = new byte[11 + (table ? 2 + head.channelCount() : 0)];
        out[0] = 0; // Version
        out[1] = (byte) head.channelCount(); // OutputChannelCount
        out[2] = (byte) (head.preSkip() >>> 8);
        out[3] = (byte) head.preSkip();
        long rate = head.inputSampleRate();
        out[4] = (byte) (rate >>> 24);
        out[5] = (byte) (rate >>> 16);
        out[6] = (byte) (rate >>> 8);
        out[7] = (byte) rate;
        out[8] = (byte) (head.outputGain() >>> 8);
        out[9] = (byte) head.outputGain();
        out[10] = (byte) head.mappingFamily();
        if (table) {
            out[11] = (byte) head.streamCount();
            out[12] = (byte) head.coupledCount();
            System.arraycopy(head.channelMapping(), 0, out, 13, head.channelCount());
        }
        return out;
    }
}

package io.livehub.codec.aac;

import io.livehub.codec.BitReader;
import io.livehub.codec.BitWriter;
import io.livehub.media.MalformedMediaException;

/**
 * Holds an MPEG-4 {@code AudioSpecificConfig} (ISO/IEC 14496-3 §1.6.2.1), the AAC codec
 * configuration of MP4 {@code esds}, RTMP/FLV AAC sequence headers and SDP {@code config=}.
 *
 * <p>Explicit hierarchical SBR/PS signalling (object type 5 or 29 first, §1.6.5.2) is read:
 * the core object type lands in {@link #audioObjectType} and the SBR rate in
 * {@link #extensionSamplingFrequency}. Backward-compatible signalling through a trailing sync
 * extension, the program config element of channel configuration 0, and the fields after
 * {@code extensionFlag} are not read.
 *
 * @param audioObjectType the core {@code audioObjectType}, 1 to 95 (2 is AAC LC)
 * @param samplingFrequencyIndex 0 to 12, or 15 when the frequency is explicit
 * @param samplingFrequency the core sampling frequency in Hz
 * @param channelConfiguration {@code channelConfiguration}, 0 to 15 (0: defined elsewhere)
 * @param extensionAudioObjectType 5 (SBR) when signalled explicitly, otherwise 0
 * @param extensionSamplingFrequencyIndex the SBR {@code extensionSamplingFrequencyIndex}, or -1
 * @param extensionSamplingFrequency the SBR output frequency in Hz, or 0
 * @param psPresent true when object type 29 (parametric stereo) was signalled
 * @param frameLengthFlag {@code GASpecificConfig} {@code frameLengthFlag}: true for 960-sample frames
 */
public record AudioSpecificConfig(
        int audioObjectType,
        int samplingFrequencyIndex,
        int samplingFrequency,
        int channelConfiguration,
        int extensionAudioObjectType,
        int extensionSamplingFrequencyIndex,
        int extensionSamplingFrequency,
        boolean psPresent,
        boolean frameLengthFlag) {

    /** AAC Low Complexity, the object type of nearly every live stream. */
    public static final int AOT_AAC_LC = 2;
    /** Spectral Band Replication (HE-AAC). */
    public static final int AOT_SBR = 5;
    /** Parametric Stereo (HE-AAC v2). */
    public static final int AOT_PS = 29;

    private static final int AOT_ESCAPE = 31;

    public AudioSpecificConfig {
        if (audioObjectType < 1 || audioObjectType > 95 || audioObjectType == AOT_ESCAPE) {
            throw new IllegalArgumentException("audioObjectType must be 1..95 but not 31: " + audioObjectType);
        }
        checkFrequency(samplingFrequencyIndex, samplingFrequency);
        if (channelConfiguration < 0 || channelConfiguration > 15) {
            throw new IllegalArgumentException("channelConfiguration must be 0..15: " + channelConfiguration);
        }
        if (extensionAudioObjectType == AOT_SBR) {
            checkFrequency(extensionSamplingFrequencyIndex, extensionSamplingFrequency);
        } else if (extensionAudioObjectType != 0 || extensionSamplingFrequencyIndex != -1
                || extensionSamplingFrequency != 0 || psPresent) {
            throw new IllegalArgumentException("extension fields need extensionAudioObjectType 5");
        }
    }

    /**
     * Returns a plain configuration: no SBR/PS signalling, 1024-sample frames, the table
     * index of {@code sampleRate} or an explicit frequency when the table has none.
     */
    public static AudioSpecificConfig of(int audioObjectType, int sampleRate, int channelConfiguration) {
        int index = AacSampleRates.indexOf(sampleRate);
        return new AudioSpecificConfig(audioObjectType, index < 0 ? AacSampleRates.ESCAPE_INDEX : index,
                sampleRate, channelConfiguration, 0, -1, 0, false, false);
    }

    /**
     * Parses an {@code AudioSpecificConfig} (ISO/IEC 14496-3 §1.6.2.1), with the first flags
     * of {@code GASpecificConfig} (§4.4.1) for the AAC object types.
     *
     * @throws MalformedMediaException if it is truncated or uses a reserved frequency index
     */
    public static AudioSpecificConfig parse(byte[] data) {
        BitReader r = new BitReader(data);
        int aot = readObjectType(r);
        int index = r.readBits(4);
        int frequency = readFrequency(r, index);
        int channels = r.readBits(4);
        int extAot = 0;
        int extIndex = -1;
        int extFrequency = 0;
        boolean ps = false;
        if (aot == AOT_SBR || aot == AOT_PS) {
            extAot = AOT_SBR;
            ps = aot == AOT_PS;
            extIndex = r.readBits(4);
            extFrequency = readFrequency(r, extIndex);
            aot = readObjectType(r);
            if (aot == 22) {
                r.skipBits(4); // extensionChannelConfiguration
            }
        }
        boolean frameLengthFlag = false;
        if (isGeneralAudio(aot)) {
            frameLengthFlag = r.readFlag();
            if (r.readFlag()) { // dependsOnCoreCoder
                r.skipBits(14); // coreCoderDelay
            }
            r.readFlag(); // extensionFlag
        }
        return new AudioSpecificConfig(aot, index, frequency, channels, extAot, extIndex, extFrequency, ps,
                frameLengthFlag);
    }

    /**
     * Writes the configuration; for the AAC object types a {@code GASpecificConfig} follows
     * with {@code dependsOnCoreCoder} and {@code extensionFlag} zero.
     */
    public byte[] encode() {
        BitWriter w = new BitWriter();
        if (extensionAudioObjectType == AOT_SBR) {
            writeObjectType(w, psPresent ? AOT_PS : AOT_SBR);
            writeFrequency(w, samplingFrequencyIndex, samplingFrequency);
            w.bits(channelConfiguration, 4);
            writeFrequency(w, extensionSamplingFrequencyIndex, extensionSamplingFrequency);
            writeObjectType(w, audioObjectType);
            if (audioObjectType == 22) {
                w.bits(channelConfiguration, 4);
            }
        } else {
            writeObjectType(w, audioObjectType);
            writeFrequency(w, samplingFrequencyIndex, samplingFrequency);
            w.bits(channelConfiguration, 4);
        }
        if (isGeneralAudio(audioObjectType)) {
            w.flag(frameLengthFlag).bit(0).bit(0);
        }
        return w.toByteArray();
    }

    /** Returns samples per channel in one raw frame of the core codec: 1024, or 960 with {@code frameLengthFlag}. */
    public int samplesPerFrame() {
        return frameLengthFlag ? 960 : 1024;
    }

    /**
     * Returns the RFC 6381 §3.3 codecs parameter {@code mp4a.40.<object type>}, naming the
     * signalled object type: {@code mp4a.40.2} for AAC LC, {@code .5} for HE-AAC, {@code .29}
     * for HE-AAC v2.
     */
    public String codecString() {
        int signalled = psPresent ? AOT_PS : extensionAudioObjectType == AOT_SBR ? AOT_SBR : audioObjectType;
        return "mp4a.40." + signalled;
    }

    /** Returns true for the object types whose config is a {@code GASpecificConfig} (§1.6.2.1 syntax). */
    private static boolean isGeneralAudio(int aot) {
        switch (aot) {
            case 1: case 2: case 3: case 4: case 6: case 7: case 17: case 19: case 20: case 21: case 22: case 23:
                return true;
            default:
                return false;
        }
    }

    /** Reads {@code GetAudioObjectType()}: 5 bits, or 32 plus 6 more bits after the escape 31. */
    private static int readObjectType(BitReader r) {
        int aot = r.readBits(5);
        if (aot == AOT_ESCAPE) {
            aot = 32 + r.readBits(6);
        }
        if (aot == 0) {
            throw new MalformedMediaException("AudioSpecificConfig with audioObjectType 0 (null object)");
        }
        return aot;
    }

    private static void writeObjectType(BitWriter w, int aot) {
        if (aot >= AOT_ESCAPE) {
            w.bits(AOT_ESCAPE, 5).bits(aot - 32, 6);
        } else {
            w.bits(aot, 5);
        }
    }

    private static int readFrequency(BitReader r, int index) {
        if (index == AacSampleRates.ESCAPE_INDEX) {
            int f = r.readBits(24);
            if (f == 0) {
                throw new MalformedMediaException("AudioSpecificConfig with an explicit sampling frequency of 0");
            }
            return f;
        }
        int f = AacSampleRates.rateOf(index);
        if (f < 0) {
            throw new MalformedMediaException("reserved samplingFrequencyIndex " + index);
        }
        return f;
    }

    private static void writeFrequency(BitWriter w, int index, int frequency) {
        w.bits(index, 4);
        if (index == AacSampleRates.ESCAPE_INDEX) {
            w.bits(frequency, 24);
        }
    }

    private static void checkFrequency(int index, int frequency) {
        if (index == AacSampleRates.ESCAPE_INDEX) {
            if (frequency <= 0 || frequency > 0xFFFFFF) {
                throw new IllegalArgumentException("explicit sampling frequency must be 1..16777215: " + frequency);
            }
        } else if (AacSampleRates.rateOf(index) != frequency) {
            throw new IllegalArgumentException("samplingFrequencyIndex " + index + " does not mean " + frequency + " Hz");
        }
    }
}

package io.livehub.codec.opus;

import io.livehub.codec.ByteReader;
import io.livehub.media.MalformedMediaException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Holds an Opus identification header, {@code OpusHead} (RFC 7845 §5.1), the Opus codec
 * configuration of Ogg, MP4 ({@code dOps} carries the same fields), Matroska and enhanced RTMP.
 *
 * <p>Immutable: the channel mapping is copied in and out.
 *
 * @param version the encapsulation version; 1 today, and any version up to 15 shares the layout
 * @param channelCount output channel count C, at least 1
 * @param preSkip samples at 48 kHz to drop from the start of the decoded output
 * @param inputSampleRate the sample rate of the original input in Hz, informational only; 0 if unknown
 * @param outputGain gain to apply to the output, Q7.8 dB
 * @param mappingFamily channel mapping family: 0 mono/stereo, 1 Vorbis order, 255 undefined
 * @param streamCount number of Opus streams N in each packet
 * @param coupledCount number M of those streams that are stereo
 * @param channelMapping for each output channel, the decoded channel it takes (255: silence);
 *     for family 0 the implied {@code {0}} or {@code {0, 1}}
 */
public record OpusHead(
        int version,
        int channelCount,
        int preSkip,
        long inputSampleRate,
        short outputGain,
        int mappingFamily,
        int streamCount,
        int coupledCount,
        byte[] channelMapping) {

    /** The magic signature that opens the header. */
    private static final byte[] MAGIC = "OpusHead".getBytes(StandardCharsets.US_ASCII);
    /** Size of a family-0 header; other families add 2 + C bytes. */
    public static final int MIN_LENGTH = 19;

    /**
     * Stream count, coupled count and mapping of each channel count 1 to 8 in family 1
     * (RFC 7845 §5.1.1.2, Vorbis channel order), as Opus encoders lay them out.
     */
    private static final int[][] VORBIS_LAYOUTS = {
        {1, 0, 0},
        {1, 1, 0, 1},
        {2, 1, 0, 2, 1},
        {2, 2, 0, 1, 2, 3},
        {3, 2, 0, 4, 1, 2, 3},
        {4, 2, 0, 4, 1, 2, 3, 5},
        {4, 3, 0, 4, 1, 2, 3, 5, 6},
        {5, 3, 0, 6, 1, 2, 3, 4, 5, 7},
    };

    /**
     * Checks the rules of RFC 7845 §5.1 and §5.1.1.
     *
     * @throws MalformedMediaException if a rule is broken
     */
    public OpusHead {
        if (version < 0 || version > 15) {
            throw new MalformedMediaException("unsupported OpusHead version " + version);
        }
        if (channelCount < 1 || channelCount > 255) {
            throw new MalformedMediaException("OpusHead channel count must be 1..255: " + channelCount);
        }
        if (preSkip < 0 || preSkip > 0xFFFF) {
            throw new MalformedMediaException("OpusHead pre-skip must be 0..65535: " + preSkip);
        }
        if (inputSampleRate < 0 || inputSampleRate > 0xFFFFFFFFL) {
            throw new MalformedMediaException("OpusHead input sample rate must fit 32 bits: " + inputSampleRate);
        }
        if (mappingFamily < 0 || mappingFamily > 255) {
            throw new MalformedMediaException("OpusHead mapping family must be 0..255: " + mappingFamily);
        }
        if (mappingFamily == 0 && channelCount > 2) {
            throw new MalformedMediaException("OpusHead family 0 allows 1 or 2 channels, not " + channelCount);
        }
        if (mappingFamily == 1 && channelCount > 8) {
            throw new MalformedMediaException("OpusHead family 1 allows 1 to 8 channels, not " + channelCount);
        }
        if (mappingFamily == 3) {
            // RFC 8486 replaces the mapping table with a demixing matrix of another size.
            throw new MalformedMediaException("OpusHead mapping family 3 is not supported");
        }
        if (streamCount < 1) {
            throw new MalformedMediaException("OpusHead stream count must be at least 1: " + streamCount);
        }
        if (coupledCount < 0 || coupledCount > streamCount) {
            throw new MalformedMediaException("OpusHead coupled count " + coupledCount + " exceeds stream count "
                    + streamCount);
        }
        if (streamCount + coupledCount > 255) {
            throw new MalformedMediaException("OpusHead streams + coupled streams exceed 255: "
                    + (streamCount + coupledCount));
        }
        if (mappingFamily == 0 && (streamCount != 1 || coupledCount != channelCount - 1)) {
            throw new MalformedMediaException("OpusHead family 0 implies 1 stream and " + (channelCount - 1)
                    + " coupled");
        }
        Objects.requireNonNull(channelMapping, "channelMapping");
        if (channelMapping.length != channelCount) {
            throw new MalformedMediaException("OpusHead channel mapping has " + channelMapping.length
                    + " entries for " + channelCount + " channels");
        }
        int decoded = streamCount + coupledCount;
        for (byte m : channelMapping) {
            int index = m & 0xFF;
            if (index != 255 && index >= decoded) {
                throw new MalformedMediaException("OpusHead channel mapping entry " + index + " is not below "
                        + decoded + " decoded channels");
            }
        }
        channelMapping = channelMapping.clone();
    }

    /**
     * Returns a version-1 header with no output gain: family 0 for 1 or 2 channels, family 1
     * with the Vorbis layout for 3 to 8.
     */
    public static OpusHead of(int channelCount, int preSkip, long inputSampleRate) {
        if (channelCount < 1 || channelCount > 8) {
            throw new IllegalArgumentException("channel count must be 1..8: " + channelCount);
        }
        int[] layout = VORBIS_LAYOUTS[channelCount - 1];
        byte[] mapping = new byte[channelCount];
        for (int i = 0; i < channelCount; i++) {
            mapping[i] = (byte) layout[2 + i];
        }
        return new OpusHead(1, channelCount, preSkip, inputSampleRate, (short) 0, channelCount <= 2 ? 0 : 1,
                layout[0], layout[1], mapping);
    }

    /**
     * Parses an identification header (RFC 7845 §5.1). Bytes after the header are ignored,
     * as §5.1 asks of readers.
     *
     * @throws MalformedMediaException if the magic is wrong, the header is truncated, or a
     *     rule of §5.1 is broken
     */
    public static OpusHead parse(byte[] data) {
        ByteReader r = new ByteReader(data, "OpusHead");
        if (!Arrays.equals(r.bytes(MAGIC.length), MAGIC)) {
            throw new MalformedMediaException("OpusHead magic signature missing");
        }
        int version = r.u8();
        if ((version & 0xF0) != 0) {
            throw new MalformedMediaException("unsupported OpusHead major version: " + version);
        }
        int channels = r.u8();
        int preSkip = r.u16le();
        long rate = r.u32le();
        short gain = (short) r.u16le();
        int family = r.u8();
        if (family == 0) {
            if (channels < 1 || channels > 2) {
                throw new MalformedMediaException("OpusHead family 0 allows 1 or 2 channels, not " + channels);
            }
            byte[] mapping = channels == 1 ? new byte[] {0} : new byte[] {0, 1};
            return new OpusHead(version, channels, preSkip, rate, gain, 0, 1, channels - 1, mapping);
        }
        int streams = r.u8();
        int coupled = r.u8();
        byte[] mapping = r.bytes(channels);
        return new OpusHead(version, channels, preSkip, rate, gain, family, streams, coupled, mapping);
    }

    /** Writes the header in the layout of RFC 7845 §5.1. */
    public byte[] encode() {
        byte[] out = new byte[MIN_LENGTH + (mappingFamily == 0 ? 0 : 2 + channelCount)];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[8] = (byte) version;
        out[9] = (byte) channelCount;
        out[10] = (byte) preSkip;
        out[11] = (byte) (preSkip >>> 8);
        for (int i = 0; i < 4; i++) {
            out[12 + i] = (byte) (inputSampleRate >>> (8 * i));
        }
        out[16] = (byte) outputGain;
        out[17] = (byte) (outputGain >>> 8);
        out[18] = (byte) mappingFamily;
        if (mappingFamily != 0) {
            out[19] = (byte) streamCount;
            out[20] = (byte) coupledCount;
            System.arraycopy(channelMapping, 0, out, 21, channelCount);
        }
        return out;
    }

    /** Returns the RFC 6381 codecs parameter for Opus, {@code opus} (RFC 7845 §9 and the Opus-in-ISOBMFF mapping). */
    public String codecString() {
        return "opus";
    }

    @Override
    public byte[] channelMapping() {
        return channelMapping.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpusHead h && version == h.version && channelCount == h.channelCount
                && preSkip == h.preSkip && inputSampleRate == h.inputSampleRate && outputGain == h.outputGain
                && mappingFamily == h.mappingFamily && streamCount == h.streamCount
                && coupledCount == h.coupledCount && Arrays.equals(channelMapping, h.channelMapping);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, channelCount, preSkip, inputSampleRate, outputGain, mappingFamily, streamCount,
                coupledCount, Arrays.hashCode(channelMapping));
    }

    @Override
    public String toString() {
        return "OpusHead[version=" + version + ", channels=" + channelCount + ", preSkip=" + preSkip
                + ", inputSampleRate=" + inputSampleRate + ", outputGain=" + outputGain + ", family="
                + mappingFamily + ", streams=" + streamCount + ", coupled=" + coupledCount + ", mapping="
                + Arrays.toString(channelMapping) + "]";
    }
}

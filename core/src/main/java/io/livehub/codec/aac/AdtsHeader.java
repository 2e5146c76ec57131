package io.livehub.codec.aac;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/**
 * Holds an ADTS frame header, {@code adts_fixed_header()} and {@code adts_variable_header()}
 * with the optional CRC (ISO/IEC 14496-3 §1.A.2.2.1), the framing of AAC in MPEG-TS and of
 * {@code .aac} files. The private, original/copy, home and copyright bits carry nothing a
 * server needs; they are skipped when parsing and written as zero.
 *
 * @param mpeg2 the {@code ID} bit: true for MPEG-2 AAC, false for MPEG-4
 * @param protectionAbsent {@code protection_absent}: true when no CRC follows (7-byte header)
 * @param profile {@code profile_ObjectType}, 0 to 3: the MPEG-4 audio object type minus one
 * @param samplingFrequencyIndex 0 to 12
 * @param channelConfiguration {@code channel_configuration}, 0 to 7
 * @param frameLength {@code aac_frame_length}: header, CRC and payload, in bytes
 * @param bufferFullness {@code adts_buffer_fullness}; 0x7FF signals variable bit rate
 * @param rawDataBlocks {@code number_of_raw_data_blocks_in_frame} + 1, 1 to 4
 * @param crc {@code crc_check} when {@code protectionAbsent} is false, otherwise 0
 */
public record AdtsHeader(
        boolean mpeg2,
        boolean protectionAbsent,
        int profile,
        int samplingFrequencyIndex,
        int channelConfiguration,
        int frameLength,
        int bufferFullness,
        int rawDataBlocks,
        int crc) {

    /** Size of a header without CRC. */
    public static final int HEADER_LENGTH = 7;
    /** Size of a header with CRC. */
    public static final int HEADER_LENGTH_WITH_CRC = 9;
    /** Largest {@code aac_frame_length}, a 13-bit field. */
    public static final int MAX_FRAME_LENGTH = 0x1FFF;
    /** {@code adts_buffer_fullness} of a variable bit rate stream. */
    public static final int VBR_BUFFER_FULLNESS = 0x7FF;

    public AdtsHeader {
        if (profile < 0 || profile > 3) {
            throw new IllegalArgumentException("profile must be 0..3: " + profile);
        }
        if (AacSampleRates.rateOf(samplingFrequencyIndex) < 0) {
            throw new IllegalArgumentException("samplingFrequencyIndex must be 0..12: " + samplingFrequencyIndex);
        }
        if (channelConfiguration < 0 || channelConfiguration > 7) {
            throw new IllegalArgumentException("channelConfiguration must be 0..7: " + channelConfiguration);
        }
        int header = protectionAbsent ? HEADER_LENGTH : HEADER_LENGTH_WITH_CRC;
        if (frameLength < header || frameLength > MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("frameLength must be " + header + ".." + MAX_FRAME_LENGTH + ": "
                    + frameLength);
        }
        if (bufferFullness < 0 || bufferFullness > 0x7FF) {
            throw new IllegalArgumentException("bufferFullness must be 0..2047: " + bufferFullness);
        }
        if (rawDataBlocks < 1 || rawDataBlocks > 4) {
            throw new IllegalArgumentException("rawDataBlocks must be 1..4: " + rawDataBlocks);
        }
        if (crc < 0 || crc > 0xFFFF || (protectionAbsent && crc != 0)) {
            throw new IllegalArgumentException("crc must be 0..65535, and 0 without protection: " + crc);
        }
    }

    /**
     * Returns the MPEG-4, CRC-less, single-block, variable-bit-rate header for a raw frame of
     * {@code payloadLength} bytes in the format {@code config} describes.
     *
     * @throws MalformedMediaException if ADTS cannot describe the configuration (object type
     *     above 4, explicit frequency, channel configuration above 7) or the frame is too long
     */
    public static AdtsHeader of(AudioSpecificConfig config, int payloadLength) {
        if (config.audioObjectType() > 4) {
            throw new MalformedMediaException("ADTS cannot carry audio object type " + config.audioObjectType());
        }
        if (config.samplingFrequencyIndex() == AacSampleRates.ESCAPE_INDEX) {
            throw new MalformedMediaException("ADTS cannot carry an explicit sampling frequency of "
                    + config.samplingFrequency() + " Hz");
        }
        if (config.channelConfiguration() > 7) {
            throw new MalformedMediaException("ADTS cannot carry channel configuration " + config.channelConfiguration());
        }
        if (payloadLength < 0 || payloadLength > MAX_FRAME_LENGTH - HEADER_LENGTH) {
            throw new MalformedMediaException("raw AAC frame of " + payloadLength + " bytes does not fit ADTS");
        }
        return new AdtsHeader(false, true, config.audioObjectType() - 1, config.samplingFrequencyIndex(),
                config.channelConfiguration(), payloadLength + HEADER_LENGTH, VBR_BUFFER_FULLNESS, 1, 0);
    }

    /**
     * Parses the header at absolute {@code index} of {@code buf} without moving its indices.
     *
     * <p>Ownership: {@code buf} is borrowed.
     *
     * @throws MalformedMediaException if fewer than the header's bytes are readable from
     *     {@code index}, the sync word or layer is wrong, the frequency index is reserved, or
     *     {@code aac_frame_length} is shorter than the header
     */
    public static AdtsHeader parse(ByteBuf buf, int index) {
        int available = buf.writerIndex() - index;
        if (index < buf.readerIndex() || available < HEADER_LENGTH) {
            throw new MalformedMediaException("truncated ADTS header: " + Math.max(available, 0) + " bytes");
        }
        long h = buf.getUnsignedInt(index) << 24 | buf.getUnsignedMedium(index + 4);
        if ((h >>> 44) != 0xFFF) {
            throw new MalformedMediaException("ADTS sync word missing: " + Long.toHexString(h >>> 44));
        }
        int layer = (int) (h >>> 41) & 0x3;
        if (layer != 0) {
            throw new MalformedMediaException("ADTS layer must be 0: " + layer);
        }
        boolean mpeg2 = ((h >>> 43) & 1) != 0;
        boolean protectionAbsent = ((h >>> 40) & 1) != 0;
        int profile = (int) (h >>> 38) & 0x3;
        int frequencyIndex = (int) (h >>> 34) & 0xF;
        if (AacSampleRates.rateOf(frequencyIndex) < 0) {
            throw new MalformedMediaException("ADTS with reserved sampling_frequency_index " + frequencyIndex);
        }
        int channels = (int) (h >>> 30) & 0x7;
        int frameLength = (int) (h >>> 13) & 0x1FFF;
        int fullness = (int) (h >>> 2) & 0x7FF;
        int blocks = (int) (h & 0x3) + 1;
        int headerLength = protectionAbsent ? HEADER_LENGTH : HEADER_LENGTH_WITH_CRC;
        if (frameLength < headerLength) {
            throw new MalformedMediaException("ADTS aac_frame_length " + frameLength + " shorter than its "
                    + headerLength + "-byte header");
        }
        int crc = 0;
        if (!protectionAbsent) {
            if (available < HEADER_LENGTH_WITH_CRC) {
                throw new MalformedMediaException("truncated ADTS header: CRC missing");
            }
            crc = buf.getUnsignedShort(index + HEADER_LENGTH);
        }
        return new AdtsHeader(mpeg2, protectionAbsent, profile, frequencyIndex, channels, frameLength, fullness,
                blocks, crc);
    }

    /**
     * Writes the header, 7 bytes or 9 with the CRC field, to {@code out}. The CRC is written
     * as held, not computed.
     *
     * <p>Ownership: {@code out} is borrowed; its writer index advances.
     */
    public void encode(ByteBuf out) {
        long h = 0xFFFL << 44
                | (mpeg2 ? 1L : 0L) << 43
                | (protectionAbsent ? 1L : 0L) << 40
                | (long) profile << 38
                | (long) samplingFrequencyIndex << 34
                | (long) channelConfiguration << 30
                | (long) frameLength << 13
                | (long) bufferFullness << 2
                | (rawDataBlocks - 1);
        out.writeInt((int) (h >>> 24));
        out.writeMedium((int) h);
        if (!protectionAbsent) {
            out.writeShort(crc);
        }
    }

    /** Returns the header size: 7, or 9 with the CRC. */
    public int headerLength() {
        return protectionAbsent ? HEADER_LENGTH : HEADER_LENGTH_WITH_CRC;
    }

    /** Returns the bytes after the header: {@code aac_frame_length} minus the header. */
    public int payloadLength() {
        return frameLength - headerLength();
    }

    /** Returns the {@code AudioSpecificConfig} this header implies (object type {@code profile} + 1). */
    public AudioSpecificConfig audioSpecificConfig() {
        return AudioSpecificConfig.of(profile + 1, AacSampleRates.rateOf(samplingFrequencyIndex), channelConfiguration);
    }
}

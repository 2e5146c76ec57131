package io.livehub.flv;

import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.Objects;

/**
 * One parsed audio tag body (AUDIODATA), legacy (Adobe FLV v10.1, Annex E.4.2.1,
 * "AUDIODATA", with AACAUDIODATA for SoundFormat 10) or enhanced (Enhanced RTMP v2,
 * "ExAudioTagHeader", SoundFormat 9): the sound format bits, the codec, the packet type and
 * the data after the header.
 *
 * <p>What the data holds depends on the packet type: the codec configuration for
 * {@link FlvAudioPacketType#SEQUENCE_START} (AudioSpecificConfig for AAC, OpusHead for Opus),
 * coded frames for {@link FlvAudioPacketType#CODED_FRAMES}, the channel layout for
 * {@link FlvAudioPacketType#MULTICHANNEL_CONFIG}. ModEx prefixes are skipped (see
 * {@link ModEx}); a {@link FlvAudioPacketType#MULTITRACK} body is recognised but not taken
 * apart: its data is everything after the packet type byte and its codec is null.
 *
 * <p>Ownership: holds one reference to its data; whoever decodes it releases it.
 */
public final class FlvAudioData extends DefaultByteBufHolder {

    /** SoundFormat 2: MP3. */
    public static final int FORMAT_MP3 = 2;
    /** SoundFormat 9: the Enhanced RTMP ExHeader (formerly reserved). */
    public static final int FORMAT_EX_HEADER = 9;
    /** SoundFormat 10: AAC. */
    public static final int FORMAT_AAC = 10;
    /** SoundFormat 14: MP3 at 8 kHz. */
    public static final int FORMAT_MP3_8K = 14;

    private static final int[] SOUND_RATES = {5512, 11025, 22050, 44100};

    private final int soundFormat;
    private final int soundFlags;
    private final CodecId codec;
    private final FlvAudioPacketType packetType;

    /**
     * Makes a parsed body.
     *
     * <p>Ownership: takes {@code data}'s reference.
     *
     * @param soundFlags the low nibble of the first byte: SoundRate, SoundSize and SoundType for a
     *     legacy body, ignored for an enhanced one
     * @param codec the codec, or null when the hub does not support it
     */
    public FlvAudioData(int soundFormat, int soundFlags, CodecId codec, FlvAudioPacketType packetType, ByteBuf data) {
        super(data);
        this.soundFormat = soundFormat;
        this.soundFlags = soundFlags & 0x0F;
        this.codec = codec;
        this.packetType = Objects.requireNonNull(packetType, "packetType");
    }

    /**
     * Parses the audio tag body in {@code body}'s readable bytes.
     *
     * <p>Ownership: {@code body} is borrowed; its reader index moves to its writer index. The
     * result's data is a retained slice of {@code body} (no copy); the caller releases the
     * result.
     *
     * @throws MalformedMediaException when the body is truncated, uses a reserved packet type
     *     or names an unknown FourCC
     */
    public static FlvAudioData decode(ByteBuf body) {
        if (!body.isReadable()) {
            throw new MalformedMediaException("empty audio tag");
        }
        int first = body.readUnsignedByte();
        int format = first >> 4;
        int flags = first & 0x0F;
        if (format == FORMAT_EX_HEADER) {
            return decodeEnhanced(body, flags);
        }
        if (format == FORMAT_AAC) {
            if (!body.isReadable()) {
                throw new MalformedMediaException("AAC audio tag truncated in its AACPacketType");
            }
            int aacPacketType = body.readUnsignedByte();
            if (aacPacketType > 1) {
                throw new MalformedMediaException("unknown AACPacketType " + aacPacketType);
            }
            return new FlvAudioData(format, flags, CodecId.AAC, FlvAudioPacketType.valueOf(aacPacketType),
                    body.readRetainedSlice(body.readableBytes()));
        }
        CodecId codec = format == FORMAT_MP3 || format == FORMAT_MP3_8K ? CodecId.MP3 : null;
        return new FlvAudioData(format, flags, codec, FlvAudioPacketType.CODED_FRAMES,
                body.readRetainedSlice(body.readableBytes()));
    }

    private static FlvAudioData decodeEnhanced(ByteBuf body, int packetTypeValue) {
        if (packetTypeValue == ModEx.PACKET_TYPE) {
            packetTypeValue = ModEx.skip(body, "enhanced audio tag");
        }
        FlvAudioPacketType packetType = FlvAudioPacketType.valueOf(packetTypeValue);
        if (packetType == null) {
            throw new MalformedMediaException("reserved AudioPacketType " + packetTypeValue);
        }
        CodecId codec = packetType == FlvAudioPacketType.MULTITRACK ? null : FourCc.read(body, false);
        return new FlvAudioData(FORMAT_EX_HEADER, packetTypeValue, codec, packetType,
                body.readRetainedSlice(body.readableBytes()));
    }

    /**
     * Writes a legacy body header (Adobe FLV v10.1, Annex E.4.2.1): SoundFormat, SoundRate,
     * SoundSize and SoundType, then for AAC the AACPacketType; the caller then writes the data.
     *
     * <p>Ownership: {@code out} is borrowed.
     *
     * @param soundFlags SoundRate (2 bits), SoundSize (1 bit) and SoundType (1 bit)
     */
    public static void writeLegacyHeader(ByteBuf out, int soundFormat, int soundFlags, FlvAudioPacketType packetType) {
        if (soundFormat == FORMAT_EX_HEADER) {
            throw new IllegalArgumentException("SoundFormat 9 is the enhanced header");
        }
        out.writeByte((soundFormat & 0x0F) << 4 | (soundFlags & 0x0F));
        if (soundFormat == FORMAT_AAC) {
            if (packetType.value() > 1) {
                throw new IllegalArgumentException("no AACPacketType for " + packetType);
            }
            out.writeByte(packetType.value());
        }
    }

    /**
     * Writes an enhanced body header (Enhanced RTMP v2, "ExAudioTagHeader"): SoundFormat 9,
     * AudioPacketType and the FourCC; the caller then writes the data.
     *
     * <p>Ownership: {@code out} is borrowed.
     */
    public static void writeEnhancedHeader(ByteBuf out, CodecId codec, FlvAudioPacketType packetType) {
        if (packetType == FlvAudioPacketType.MULTITRACK || packetType == FlvAudioPacketType.MOD_EX) {
            throw new IllegalArgumentException("cannot write a " + packetType + " header");
        }
        out.writeByte(FORMAT_EX_HEADER << 4 | packetType.value());
        FourCc.write(out, codec);
    }

    /**
     * Writes this body (header and data) to {@code out}, legacy or enhanced as it was parsed.
     * Multitrack bodies and enhanced bodies of an unsupported codec are not accepted.
     *
     * <p>Ownership: {@code out} and this body are borrowed; the data's indexes do not move.
     */
    public void write(ByteBuf out) {
        if (isEnhanced()) {
            if (codec == null) {
                throw new IllegalStateException("no FourCC to write for " + this);
            }
            writeEnhancedHeader(out, codec, packetType);
        } else {
            writeLegacyHeader(out, soundFormat, soundFlags, packetType);
        }
        ByteBuf data = content();
        out.writeBytes(data, data.readerIndex(), data.readableBytes());
    }

    /** Returns whether the body used the enhanced header (SoundFormat 9). */
    public boolean isEnhanced() {
        return soundFormat == FORMAT_EX_HEADER;
    }

    /** Returns the SoundFormat, 9 for an enhanced body. */
    public int soundFormat() {
        return soundFormat;
    }

    /** Returns the low nibble of the first byte: SoundRate, SoundSize, SoundType when legacy. */
    public int soundFlags() {
        return soundFlags;
    }

    /**
     * Returns the sample rate the legacy SoundRate bits give (8000 for SoundFormat 14), or 0
     * for an enhanced body. AAC always says 44100 here; its AudioSpecificConfig has the real
     * rate.
     */
    public int sampleRate() {
        if (isEnhanced()) {
            return 0;
        }
        return soundFormat == FORMAT_MP3_8K ? 8000 : SOUND_RATES[(soundFlags >> 2) & 0x03];
    }

    /** Returns 2 or 1 as the legacy SoundType bit says stereo or mono, or 0 for an enhanced body. */
    public int channels() {
        return isEnhanced() ? 0 : (soundFlags & 0x01) + 1;
    }

    /** Returns the codec, or null when it is one the hub does not support. */
    public CodecId codec() {
        return codec;
    }

    public FlvAudioPacketType packetType() {
        return packetType;
    }

    @Override
    public FlvAudioData replace(ByteBuf content) {
        return new FlvAudioData(soundFormat, soundFlags, codec, packetType, content);
    }

    @Override
    public FlvAudioData retain() {
        super.retain();
        return this;
    }

    @Override
    public FlvAudioData touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "FlvAudioData[" + (isEnhanced() ? "enhanced " : "legacy ")
                + (codec != null ? codec : "format " + soundFormat) + " " + packetType + " "
                + content().readableBytes() + "B]";
    }
}

package io.livehub.flv;

import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.Objects;

/**
 * One parsed video tag body (VIDEODATA), legacy (Adobe FLV v10.1, Annex E.4.3.1,
 * "VIDEODATA", with AVCVIDEOPACKET for CodecID 7 and the same layout for CodecID 12, the
 * HEVC extension some servers use) or enhanced (Enhanced RTMP v2, "ExVideoTagHeader", when
 * the IsExHeader bit {@code 0x80} is set): the frame type, the codec, the packet type, the
 * composition time and the data after the header.
 *
 * <p>What the data holds depends on the packet type: the decoder configuration record for
 * {@link FlvVideoPacketType#SEQUENCE_START}, the access unit for the coded frame types, the
 * AMF bytes for {@link FlvVideoPacketType#METADATA}, the one-byte command for a command
 * frame (an enhanced command frame has no FourCC, so its codec is null). ModEx prefixes are
 * skipped (see {@link ModEx}). A {@link FlvVideoPacketType#MULTITRACK} body is recognised but
 * not taken apart: its data is everything after the packet type byte and its codec is null.
 *
 * <p>Ownership: holds one reference to its data; whoever decodes it releases it.
 */
public final class FlvVideoData extends DefaultByteBufHolder {

    /** FrameType 1: a key frame (a random access point for AVC and HEVC). */
    public static final int FRAME_KEY = 1;
    /** FrameType 2: an inter frame. */
    public static final int FRAME_INTER = 2;
    /** FrameType 3: a disposable inter frame (H.263 only). */
    public static final int FRAME_DISPOSABLE_INTER = 3;
    /** FrameType 4: a generated key frame (reserved for server use). */
    public static final int FRAME_GENERATED_KEY = 4;
    /** FrameType 5: a video info or command frame, carrying no picture. */
    public static final int FRAME_COMMAND = 5;

    /** Legacy CodecID 7, AVC (H.264). */
    public static final int CODEC_AVC = 7;
    /** Legacy CodecID 12, HEVC (H.265), an extension outside the Adobe spec used by some servers. */
    public static final int CODEC_HEVC = 12;

    private static final int IS_EX_HEADER = 0x80;

    private final boolean enhanced;
    private final int frameType;
    private final int legacyCodecId;
    private final CodecId codec;
    private final FlvVideoPacketType packetType;
    private final int compositionTime;

    /**
     * Makes a parsed body.
     *
     * <p>Ownership: takes {@code data}'s reference.
     *
     * @param legacyCodecId the legacy CodecID, or -1 for an enhanced body
     * @param codec the codec, or null when the hub does not support it
     */
    public FlvVideoData(boolean enhanced, int frameType, int legacyCodecId, CodecId codec,
            FlvVideoPacketType packetType, int compositionTime, ByteBuf data) {
        super(data);
        this.enhanced = enhanced;
        this.frameType = frameType;
        this.legacyCodecId = legacyCodecId;
        this.codec = codec;
        this.packetType = Objects.requireNonNull(packetType, "packetType");
        this.compositionTime = compositionTime;
    }

    /**
     * Parses the video tag body in {@code body}'s readable bytes.
     *
     * <p>Ownership: {@code body} is borrowed; its reader index moves to its writer index. The
     * result's data is a retained slice of {@code body} (no copy); the caller releases the
     * result.
     *
     * @throws MalformedMediaException when the body is truncated, uses a reserved frame type
     *     or packet type, or names an unknown FourCC
     */
    public static FlvVideoData decode(ByteBuf body) {
        if (!body.isReadable()) {
            throw new MalformedMediaException("empty video tag");
        }
        int first = body.readUnsignedByte();
        int frameType = (first >> 4) & 0x07;
        if (frameType < FRAME_KEY || frameType > FRAME_COMMAND) {
            throw new MalformedMediaException("reserved video FrameType " + frameType);
        }
        if ((first & IS_EX_HEADER) != 0) {
            return decodeEnhanced(body, frameType, first & 0x0F);
        }
        int codecId = first & 0x0F;
        CodecId codec = codecId == CODEC_AVC ? CodecId.H264 : codecId == CODEC_HEVC ? CodecId.H265 : null;
        if (codec == null || frameType == FRAME_COMMAND) {
            // Other legacy codecs (Sorenson, VP6, ...) and info frames: data only, no packet type.
            return new FlvVideoData(false, frameType, codecId, codec, FlvVideoPacketType.CODED_FRAMES, 0,
                    body.readRetainedSlice(body.readableBytes()));
        }
        if (body.readableBytes() < 4) {
            throw new MalformedMediaException("legacy " + codec + " video tag truncated in its AVCPacketType header");
        }
        int avcPacketType = body.readUnsignedByte();
        if (avcPacketType > 2) {
            throw new MalformedMediaException("unknown AVCPacketType " + avcPacketType);
        }
        int cts = body.readMedium(); // SI24, sign-extended
        return new FlvVideoData(false, frameType, codecId, codec, FlvVideoPacketType.valueOf(avcPacketType),
                avcPacketType == 1 ? cts : 0, body.readRetainedSlice(body.readableBytes()));
    }

    private static FlvVideoData decodeEnhanced(ByteBuf body, int frameType, int packetTypeValue) {
        if (packetTypeValue == ModEx.PACKET_TYPE) {
            packetTypeValue = ModEx.skip(body, "enhanced video tag");
        }
        FlvVideoPacketType packetType = FlvVideoPacketType.valueOf(packetTypeValue);
        if (packetType == null) {
            throw new MalformedMediaException("reserved VideoPacketType " + packetTypeValue);
        }
        if (packetType == FlvVideoPacketType.MULTITRACK) {
            return new FlvVideoData(true, frameType, -1, null, packetType, 0,
                    body.readRetainedSlice(body.readableBytes()));
        }
        if (frameType == FRAME_COMMAND && packetType != FlvVideoPacketType.METADATA) {
            // A command frame has no FourCC: its VideoCommand (UI8) follows at once, kept as data.
            return new FlvVideoData(true, frameType, -1, null, packetType, 0,
                    body.readRetainedSlice(body.readableBytes()));
        }
        CodecId codec = FourCc.read(body, true);
        int cts = 0;
        if (packetType == FlvVideoPacketType.CODED_FRAMES && (codec == CodecId.H264 || codec == CodecId.H265)) {
            if (body.readableBytes() < 3) {
                throw new MalformedMediaException("enhanced " + codec + " video tag truncated in its composition time");
            }
            cts = body.readMedium();
        }
        return new FlvVideoData(true, frameType, -1, codec, packetType, cts,
                body.readRetainedSlice(body.readableBytes()));
    }

    /**
     * Writes a legacy AVC or HEVC body header (Adobe FLV v10.1, Annex E.4.3.1): FrameType and
     * CodecID, AVCPacketType, CompositionTime; the caller then writes the data.
     *
     * <p>Ownership: {@code out} is borrowed.
     *
     * @throws MalformedMediaException when the composition time does not fit 24 signed bits
     */
    public static void writeLegacyHeader(ByteBuf out, int frameType, int legacyCodecId, FlvVideoPacketType packetType,
            int compositionTime) {
        if (packetType.value() > 2) {
            throw new IllegalArgumentException("no legacy AVCPacketType for " + packetType);
        }
        int cts = checkCompositionTime(compositionTime);
        out.writeByte((frameType & 0x07) << 4 | (legacyCodecId & 0x0F));
        out.writeByte(packetType.value());
        out.writeMedium(cts);
    }

    /**
     * Writes an enhanced body header (Enhanced RTMP v2, "ExVideoTagHeader"): IsExHeader,
     * FrameType and VideoPacketType, the FourCC and, for {@link FlvVideoPacketType#CODED_FRAMES}
     * of avc1 and hvc1, the composition time; the caller then writes the data.
     *
     * <p>Ownership: {@code out} is borrowed.
     *
     * @throws MalformedMediaException when the composition time does not fit 24 signed bits
     */
    public static void writeEnhancedHeader(ByteBuf out, int frameType, CodecId codec, FlvVideoPacketType packetType,
            int compositionTime) {
        if (packetType == FlvVideoPacketType.MULTITRACK || packetType == FlvVideoPacketType.MOD_EX) {
            throw new IllegalArgumentException("cannot write a " + packetType + " header");
        }
        boolean hasCts = packetType == FlvVideoPacketType.CODED_FRAMES && (codec == CodecId.H264 || codec == CodecId.H265);
        int cts = hasCts ? checkCompositionTime(compositionTime) : 0;
        out.writeByte(IS_EX_HEADER | (frameType & 0x07) << 4 | packetType.value());
        FourCc.write(out, codec);
        if (hasCts) {
            out.writeMedium(cts);
        }
    }

    /**
     * Returns {@code cts} when it fits the signed 24-bit CompositionTime field.
     *
     * @throws MalformedMediaException when it does not
     */
    static int checkCompositionTime(long cts) {
        if (cts < -0x80_0000 || cts > 0x7F_FFFF) {
            throw new MalformedMediaException("composition time " + cts + " ms does not fit FLV's 24 bits");
        }
        return (int) cts;
    }

    /**
     * Writes this body (header and data) to {@code out}, legacy or enhanced as it was parsed.
     * Multitrack bodies and enhanced bodies of an unsupported codec are not accepted.
     *
     * <p>Ownership: {@code out} and this body are borrowed; the data's indexes do not move.
     */
    public void write(ByteBuf out) {
        if (enhanced && isCommand() && codec == null) {
            out.writeByte(IS_EX_HEADER | frameType << 4 | packetType.value());
        } else if (enhanced) {
            if (codec == null) {
                throw new IllegalStateException("no FourCC to write for " + this);
            }
            writeEnhancedHeader(out, frameType, codec, packetType, compositionTime);
        } else if (legacyCodecId == CODEC_AVC || legacyCodecId == CODEC_HEVC) {
            if (frameType == FRAME_COMMAND) {
                out.writeByte(frameType << 4 | legacyCodecId);
            } else {
                writeLegacyHeader(out, frameType, legacyCodecId, packetType, compositionTime);
            }
        } else {
            out.writeByte(frameType << 4 | legacyCodecId);
        }
        ByteBuf data = content();
        out.writeBytes(data, data.readerIndex(), data.readableBytes());
    }

    /** Returns whether the body used the enhanced header (IsExHeader set). */
    public boolean isEnhanced() {
        return enhanced;
    }

    /** Returns the FrameType, 1 to 5. */
    public int frameType() {
        return frameType;
    }

    /** Returns whether FrameType says key frame or generated key frame. */
    public boolean isKeyframe() {
        return frameType == FRAME_KEY || frameType == FRAME_GENERATED_KEY;
    }

    /** Returns whether this is a command (video info) frame, which carries no picture. */
    public boolean isCommand() {
        return frameType == FRAME_COMMAND;
    }

    /** Returns the legacy CodecID, or -1 for an enhanced body. */
    public int legacyCodecId() {
        return legacyCodecId;
    }

    /** Returns the codec, or null when it is one the hub does not support. */
    public CodecId codec() {
        return codec;
    }

    public FlvVideoPacketType packetType() {
        return packetType;
    }

    /** Returns the composition time offset in milliseconds (pts - dts); 0 when the body has none. */
    public int compositionTime() {
        return compositionTime;
    }

    @Override
    public FlvVideoData replace(ByteBuf content) {
        return new FlvVideoData(enhanced, frameType, legacyCodecId, codec, packetType, compositionTime, content);
    }

    @Override
    public FlvVideoData retain() {
        super.retain();
        return this;
    }

    @Override
    public FlvVideoData touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "FlvVideoData[" + (enhanced ? "enhanced " : "legacy ") + (codec != null ? codec : "codec " + legacyCodecId)
                + " " + packetType + " frameType=" + frameType + " cts=" + compositionTime + " "
                + content().readableBytes() + "B]";
    }
}

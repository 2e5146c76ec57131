package io.livehub.ts;

import io.livehub.codec.AnnexB;
import io.livehub.codec.aac.AdtsHeader;
import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h264.H264NalUnitType;
import io.livehub.codec.h265.H265NalUnitType;
import io.livehub.codec.h265.HevcDecoderConfigurationRecord;
import io.livehub.codec.opus.OpusHead;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One elementary stream of a TS program (ITU-T H.222.0 §2.4.3): its PID, stream type and
 * descriptors, its continuity counter, the codec configuration parsed from its track, and how
 * one frame becomes a PES packet (§2.4.3.6) cut into transport packets (§2.4.3.2). Shared by
 * {@link TsMuxer} (one per track of a program) and {@link TsFrameForm} (one per frame encoded).
 *
 * <p>Thread-safety: not thread-safe; confined to its muxer's thread.
 *
 * <p>Ownership: frames are borrowed; returned buffers belong to the caller.
 */
final class TsElementaryStream {

    /** Four-byte start code, shared read-only by every Annex B access unit written. */
    private static final ByteBuf START_CODE =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1}).asReadOnly());
    /** H.264 access unit delimiter, primary_pic_type 7 (any slice type). */
    private static final byte[] H264_AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};
    /** H.265 access unit delimiter (nal_unit_type 35, layer 0, temporal id 0), pic_type 2. */
    private static final byte[] H265_AUD = {0, 0, 0, 1, 0x46, 0x01, 0x50};
    private static final byte[] HEVC_REGISTRATION = {ProgramMapTable.REGISTRATION_DESCRIPTOR, 4, 'H', 'E', 'V', 'C'};

    final int trackId;
    final CodecId codec;
    final int pid;
    final int streamType;
    final byte[] descriptors;
    int cc;
    boolean opusTrimPending;
    private Track cachedFor;
    private byte[] parameterSets;
    private AudioSpecificConfig aac;
    private int opusPreSkip;

    /**
     * Makes the elementary stream of {@code t} on {@code pid}.
     *
     * @param opusTrim whether the first Opus packet carries the OpusHead pre-skip as its start
     *                 trim (an output that starts with the stream; not one that joins mid-way)
     * @throws IllegalArgumentException when TS cannot carry the codec, or an AAC or Opus track
     *                                  has no usable configuration
     */
    TsElementaryStream(Track t, int pid, boolean opusTrim) {
        this.trackId = t.id();
        this.codec = t.codec();
        this.pid = pid;
        this.streamType = TsStreamType.of(t.codec());
        this.opusTrimPending = opusTrim;
        switch (codec) {
            case H265:
                descriptors = HEVC_REGISTRATION;
                break;
            case OPUS:
                if (!t.hasConfig()) {
                    throw new IllegalArgumentException("Opus track without an OpusHead");
                }
                descriptors = OpusInTs.descriptors(OpusHead.parse(t.config()));
                break;
            case AAC:
                if (!t.hasConfig()) {
                    throw new IllegalArgumentException("AAC track without an AudioSpecificConfig");
                }
                AdtsHeader.of(AudioSpecificConfig.parse(t.config()), 0); // fails early if ADTS cannot carry it
                descriptors = new byte[0];
                break;
            default:
                descriptors = new byte[0];
                break;
        }
    }

    /** Returns this stream's entry in a PMT. */
    ProgramMapTable.ElementaryStream elementaryStream() {
        return new ProgramMapTable.ElementaryStream(streamType, pid, descriptors);
    }

    /** Returns the Annex B parameter sets of {@code t}'s configuration, or null when it has none. */
    byte[] parameterSets(Track t) {
        refresh(t);
        return parameterSets;
    }

    AudioSpecificConfig aacConfig(Track t) {
        refresh(t);
        if (aac == null) {
            throw new MalformedMediaException("AAC frame without an AudioSpecificConfig");
        }
        return aac;
    }

    int opusPreSkip(Track t) {
        refresh(t);
        return opusPreSkip;
    }

    /** Parses the track's configuration once per Track instance (a new Track is a new configuration). */
    private void refresh(Track t) {
        if (t == cachedFor) {
            return;
        }
        parameterSets = null;
        aac = null;
        opusPreSkip = 0;
        if (t.hasConfig()) {
            byte[] config = t.config();
            switch (codec) {
                case H264: {
                    AvcDecoderConfigurationRecord r = AvcDecoderConfigurationRecord.parse(config);
                    List<byte[]> sets = new ArrayList<>(r.sequenceParameterSets());
                    sets.addAll(r.pictureParameterSets());
                    parameterSets = sets.isEmpty() ? null : AnnexB.join(sets);
                    break;
                }
                case H265: {
                    HevcDecoderConfigurationRecord r = HevcDecoderConfigurationRecord.parse(config);
                    List<byte[]> sets = new ArrayList<>(r.nalUnits(H265NalUnitType.VPS));
                    sets.addAll(r.nalUnits(H265NalUnitType.SPS));
                    sets.addAll(r.nalUnits(H265NalUnitType.PPS));
                    parameterSets = sets.isEmpty() ? null : AnnexB.join(sets);
                    break;
                }
                case AAC:
                    aac = AudioSpecificConfig.parse(config);
                    break;
                case OPUS:
                    opusPreSkip = OpusHead.parse(config).preSkip();
                    break;
                default:
                    break;
            }
        }
        cachedFor = t;
    }

    /** Returns the whole PES packet, header and elementary stream data, as one readable buffer. */
    ByteBuf buildPes(MediaFrame frame, long pts, long dts, ByteBufAllocator alloc) {
        TsElementaryStream s = this;
        ByteBuf payload = frame.content();
        switch (s.codec) {
            case H264:
            case H265:
                return buildVideoPes(frame, payload, pts, dts, alloc);
            case AAC: {
                AudioSpecificConfig asc = s.aacConfig(frame.track());
                int length = payload.readableBytes();
                AdtsHeader adts = AdtsHeader.of(asc, length);
                ByteBuf head = alloc.buffer(PesHeader.encodedLength(pts, dts) + adts.headerLength());
                PesHeader.write(head, PesHeader.STREAM_ID_AUDIO, adts.frameLength(), pts, dts);
                adts.encode(head);
                return join(alloc, head, payload);
            }
            case OPUS: {
                int length = payload.readableBytes();
                int trim = s.opusTrimPending ? s.opusPreSkip(frame.track()) : -1;
                if (trim == 0) {
                    trim = -1;
                }
                int control = OpusInTs.controlHeaderLength(length, trim >= 0);
                ByteBuf head = alloc.buffer(PesHeader.encodedLength(pts, dts) + control);
                PesHeader.write(head, PesHeader.STREAM_ID_PRIVATE_1, control + length, pts, dts);
                OpusInTs.writeControlHeader(head, length, trim);
                return join(alloc, head, payload);
            }
            default:
                throw new IllegalStateException(s.codec.toString());
        }
    }

    private static ByteBuf join(ByteBufAllocator alloc, ByteBuf head, ByteBuf payload) {
        CompositeByteBuf c = alloc.compositeBuffer(2);
        c.addComponent(true, head);
        c.addComponent(true, payload.retainedSlice());
        return c;
    }

    private ByteBuf buildVideoPes(MediaFrame frame, ByteBuf payload, long pts, long dts, ByteBufAllocator alloc) {
        TsElementaryStream s = this;
        boolean h264 = s.codec == CodecId.H264;
        // Scan first, so that a bad length fails before anything is allocated or written.
        int[] units = new int[16];
        int count = 0;
        boolean hasSps = false;
        boolean random = false;
        int esSize = 0;
        int i = payload.readerIndex();
        int end = payload.writerIndex();
        while (i < end) {
            if (end - i < 4) {
                throw new MalformedMediaException("truncated NAL unit length in " + s.codec + " frame");
            }
            long len = payload.getUnsignedInt(i);
            if (len > end - i - 4) {
                throw new MalformedMediaException("NAL unit length " + len + " runs past the " + s.codec + " frame");
            }
            i += 4;
            if (len > 0) {
                int header = payload.getUnsignedByte(i);
                int type = h264 ? H264NalUnitType.of(header) : H265NalUnitType.of(header);
                boolean aud = h264 ? type == H264NalUnitType.ACCESS_UNIT_DELIMITER
                        : type == H265NalUnitType.ACCESS_UNIT_DELIMITER;
                if (!aud) {
                    if (count + 2 > units.length) {
                        units = Arrays.copyOf(units, units.length * 2);
                    }
                    units[count++] = i;
                    units[count++] = (int) len;
                    esSize += 4 + (int) len;
                    hasSps |= h264 ? type == H264NalUnitType.SPS : type == H265NalUnitType.SPS;
                    random |= h264 ? type == H264NalUnitType.IDR_SLICE : H265NalUnitType.isIrap(type);
                }
            }
            i += (int) len;
        }
        byte[] aud = h264 ? H264_AUD : H265_AUD;
        byte[] params = (random || frame.isKeyframe()) && !hasSps ? s.parameterSets(frame.track()) : null;
        int prefix = aud.length + (params == null ? 0 : params.length);
        ByteBuf head = alloc.buffer(PesHeader.encodedLength(pts, dts) + prefix);
        CompositeByteBuf c = alloc.compositeBuffer(1 + count);
        try {
            PesHeader.write(head, PesHeader.STREAM_ID_VIDEO, -1, pts, dts);
            head.writeBytes(aud);
            if (params != null) {
                head.writeBytes(params);
            }
            c.addComponent(true, head);
            head = null;
            for (int k = 0; k < count; k += 2) {
                c.addComponent(true, START_CODE.duplicate());
                c.addComponent(true, payload.retainedSlice(units[k], units[k + 1]));
            }
            return c;
        } catch (RuntimeException e) {
            if (head != null) {
                head.release();
            }
            c.release();
            throw e;
        }
    }

    /**
     * Cuts one PES packet into transport packets (§2.4.3.2), with the adaptation field
     * (§2.4.3.4) carrying the random access indicator and PCR on the first packet and
     * stuffing on the last.
     */
    void packetize(ByteBuf out, ByteBuf pes, boolean randomAccess, boolean withPcr, long pcr) {
        TsElementaryStream s = this;
        int remaining = pes.readableBytes();
        boolean first = true;
        while (remaining > 0) {
            boolean writePcr = first && withPcr;
            int flags = first && randomAccess ? 0x40 : 0;
            if (writePcr) {
                flags |= 0x10;
            }
            int adaptation = flags != 0 ? 2 + (writePcr ? 6 : 0) : 0; // length byte, flags, PCR
            int take = Math.min(TsPacket.BODY_SIZE - adaptation, remaining);
            int stuffing = TsPacket.BODY_SIZE - adaptation - take;
            adaptation += stuffing;
            out.writeByte(TsPacket.SYNC_BYTE);
            out.writeShort((first ? 0x4000 : 0) | s.pid);
            out.writeByte((adaptation > 0 ? 0x30 : 0x10) | s.cc);
            s.cc = (s.cc + 1) & 0x0F;
            if (adaptation > 0) {
                out.writeByte(adaptation - 1); // adaptation_field_length
                if (adaptation > 1) {
                    out.writeByte(flags);
                    int written = 2;
                    if (writePcr) {
                        TsMuxer.writePcr(out, pcr);
                        written += 6;
                    }
                    TsMuxer.stuff(out, adaptation - written);
                }
            }
            out.writeBytes(pes, take);
            remaining -= take;
            first = false;
        }
    }
}

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
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Writes the hub's frames of one stream as an MPEG-2 transport stream (ITU-T H.222.0):
 * one program whose PAT and PMT (§2.4.4.3, §2.4.4.8) list one elementary stream per track,
 * each frame one PES packet (§2.4.3.6) cut into 188-byte transport packets (§2.4.3.2).
 *
 * <p>What is written:
 * <ul>
 *   <li>PAT and PMT before the first frame, before every video keyframe and whenever
 *       {@link TsMuxerConfig#psiInterval()} has passed in DTS; {@link #writePsi} writes them
 *       on demand, as an HLS segment starts.
 *   <li>H.264 (stream type 0x1B) and H.265 (0x24, with a registration descriptor "HEVC" as
 *       ffmpeg writes) as Annex B: an access unit delimiter first, then, before an IDR or
 *       IRAP access unit that carries no SPS, the parameter sets of the track's avcC or hvcC;
 *       access unit delimiters in the frame are dropped. PES_packet_length is 0 (unbounded).
 *   <li>AAC (0x0F) as one ADTS frame per PES, the header built from the AudioSpecificConfig.
 *   <li>Opus (0x06, see {@link OpusInTs}) as one packet per PES behind its control header;
 *       the first packet of the stream carries the OpusHead pre-skip as its start trim.
 *   <li>The PCR on the first packet of every PES of the PCR stream (the first video track,
 *       else the first track), the {@code random_access_indicator} on the first packet of a
 *       keyframe (every audio frame is one), adaptation-field stuffing in the last packet of
 *       a PES, and a continuity counter per PID.
 * </ul>
 * Time stamps are converted to 90 kHz with {@link Timebase#rescale}, exact when the track's
 * timebase divides into 90 kHz ticks (1/90000, 1/1000, 1/48000 for Opus and AAC frame
 * multiples of 8 samples), rounded to the nearest tick otherwise, and written modulo 2^33.
 *
 * <p>Encode once: the continuity counters make the bytes of a frame depend on the frames
 * before it, so a stream has one muxer, fed every frame in order, and its output buffers are
 * shared by every subscriber of that form ({@code retainedDuplicate()}). Because PAT and PMT
 * precede every keyframe, a subscriber that starts or resumes at a keyframe receives a
 * decodable stream; the counter jump it sees is a discontinuity that receivers treat as
 * loss, which it is.
 *
 * <p>Thread-safety: not thread-safe; one muxer per output stream, confined to one thread.
 *
 * <p>Ownership: frames are borrowed (their payloads are read with absolute indexes and
 * neither retained beyond the call nor released); every returned buffer belongs to the
 * caller.
 */
public final class TsMuxer {

    /** Four-byte start code, shared read-only by every Annex B access unit written. */
    private static final ByteBuf START_CODE =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1}).asReadOnly());
    /** H.264 access unit delimiter, primary_pic_type 7 (any slice type). */
    private static final byte[] H264_AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};
    /** H.265 access unit delimiter (nal_unit_type 35, layer 0, temporal id 0), pic_type 2. */
    private static final byte[] H265_AUD = {0, 0, 0, 1, 0x46, 0x01, 0x50};
    private static final byte[] HEVC_REGISTRATION = {ProgramMapTable.REGISTRATION_DESCRIPTOR, 4, 'H', 'E', 'V', 'C'};

    private final TsMuxerConfig config;
    private final Stream[] streams;
    private final int pcrPid;
    private final byte[] pat;
    private final byte[] pmt;
    private final long psiIntervalTicks;
    private final long pcrDelayTicks;
    private int patCc;
    private int pmtCc;
    private boolean psiWritten;
    private boolean psiJustWritten;
    private long lastPsiDts;

    /**
     * Creates a muxer for a program of {@code tracks}, in PID order from
     * {@link TsMuxerConfig#firstElementaryPid()}.
     *
     * @throws IllegalArgumentException when there are no tracks or more than 16, two share an
     *     id, a codec cannot be carried, an AAC or Opus track has no usable configuration, or
     *     a PID would collide or pass 0x1FFE
     */
    public TsMuxer(TsMuxerConfig config, List<Track> tracks) {
        this.config = Objects.requireNonNull(config, "config");
        if (tracks.isEmpty() || tracks.size() > 16) {
            throw new IllegalArgumentException("a TS program needs 1 to 16 tracks: " + tracks.size());
        }
        streams = new Stream[tracks.size()];
        int pcr = -1;
        for (int i = 0; i < streams.length; i++) {
            Track t = tracks.get(i);
            int pid = config.firstElementaryPid() + i;
            if (pid > 0x1FFE || pid == config.pmtPid()) {
                throw new IllegalArgumentException("elementary PID 0x" + Integer.toHexString(pid)
                        + " is out of range or the PMT's");
            }
            for (int j = 0; j < i; j++) {
                if (streams[j].trackId == t.id()) {
                    throw new IllegalArgumentException("two tracks with id " + t.id());
                }
            }
            streams[i] = new Stream(t, pid);
            if (pcr < 0 && t.kind() == TrackKind.VIDEO) {
                pcr = pid;
            }
        }
        pcrPid = pcr >= 0 ? pcr : streams[0].pid;
        pat = new ProgramAssociationTable(config.transportStreamId(), 0,
                List.of(new ProgramAssociationTable.Program(config.programNumber(), config.pmtPid()))).encode();
        pmt = programMapTable().encode();
        psiIntervalTicks = config.psiInterval().toNanos() * 9 / 100_000;
        pcrDelayTicks = config.pcrDelay().toNanos() * 9 / 100_000;
    }

    /** Creates a muxer with the default configuration. */
    public static TsMuxer of(Track... tracks) {
        return new TsMuxer(TsMuxerConfig.defaults(), List.of(tracks));
    }

    /** Returns the PMT this muxer writes. */
    public ProgramMapTable programMapTable() {
        List<ProgramMapTable.ElementaryStream> es = new ArrayList<>();
        for (Stream s : streams) {
            es.add(new ProgramMapTable.ElementaryStream(s.streamType, s.pid, s.descriptors));
        }
        return new ProgramMapTable(config.programNumber(), 0, pcrPid, new byte[0], es);
    }

    /**
     * Returns the PID of the track with id {@code trackId}.
     *
     * @throws IllegalArgumentException when the program has no such track
     */
    public int pid(int trackId) {
        return stream(trackId).pid;
    }

    /**
     * Writes a PAT and a PMT packet (or more when the PMT is long), as at the start of an
     * HLS segment. The periodic timer restarts from the next frame.
     *
     * <p>Ownership: {@code out} is borrowed; whole packets are appended at its writer index.
     */
    public void writePsi(ByteBuf out) {
        patCc = writeSection(out, TsPacket.PAT_PID, pat, patCc);
        pmtCc = writeSection(out, config.pmtPid(), pmt, pmtCc);
        psiJustWritten = true;
    }

    /**
     * Returns a PAT and a PMT packet; see {@link #writePsi(ByteBuf)}.
     *
     * <p>Ownership: the caller releases the returned buffer.
     */
    public ByteBuf writePsi(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(2 * TsPacket.SIZE);
        writePsi(out);
        return out;
    }

    /**
     * Writes {@code frame} as whole transport packets, preceded by PAT and PMT when they are
     * due (see the class notes). An empty frame writes nothing.
     *
     * <p>Ownership: {@code frame} is borrowed; {@code out} is borrowed and whole packets are
     * appended at its writer index. On an exception nothing is written.
     *
     * @throws IllegalArgumentException when the frame's track is not in the program or its
     *     codec differs from the program's
     * @throws MalformedMediaException when a NAL unit length runs past the payload, or an AAC
     *     frame or configuration does not fit ADTS
     */
    public void write(MediaFrame frame, ByteBuf out) {
        Track track = frame.track();
        Stream s = stream(track.id());
        if (track.codec() != s.codec) {
            throw new IllegalArgumentException("track " + track.id() + " is " + s.codec + " in the PMT, frame is "
                    + track.codec());
        }
        if (!frame.content().isReadable()) {
            return;
        }
        long dts = track.timebase().rescale(frame.dts(), Timebase.MPEG_90K);
        long pts = track.timebase().rescale(frame.pts(), Timebase.MPEG_90K);
        ByteBuf pes = buildPes(s, frame, pts, dts, out.alloc());
        try {
            boolean keyframe = frame.isKeyframe();
            if (psiJustWritten) {
                // The caller has just written them (a segment start): restart the timer here.
                psiWritten = true;
                lastPsiDts = dts;
            } else if (!psiWritten || keyframe && s.codec.kind() == TrackKind.VIDEO
                    || dts - lastPsiDts >= psiIntervalTicks || dts < lastPsiDts) {
                writePsi(out);
                psiWritten = true;
                lastPsiDts = dts;
            }
            psiJustWritten = false;
            packetize(out, s, pes, keyframe, s.pid == pcrPid, dts - pcrDelayTicks);
        } finally {
            pes.release();
        }
        if (s.codec == CodecId.OPUS) {
            s.opusTrimPending = false;
        }
    }

    /**
     * Returns {@code frame} as whole transport packets; see {@link #write(MediaFrame, ByteBuf)}.
     *
     * <p>Ownership: {@code frame} is borrowed; the caller releases the returned buffer.
     */
    public ByteBuf write(MediaFrame frame, ByteBufAllocator alloc) {
        int size = frame.content().readableBytes();
        // Payload, ~2% packet overhead, PES and codec headers, PSI, stuffing.
        ByteBuf out = alloc.buffer(size + size / 40 + 4 * TsPacket.SIZE);
        try {
            write(frame, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private Stream stream(int trackId) {
        for (Stream s : streams) {
            if (s.trackId == trackId) {
                return s;
            }
        }
        throw new IllegalArgumentException("no track with id " + trackId + " in this TS program");
    }

    /** Returns the whole PES packet, header and elementary stream data, as one readable buffer. */
    private ByteBuf buildPes(Stream s, MediaFrame frame, long pts, long dts, ByteBufAllocator alloc) {
        ByteBuf payload = frame.content();
        switch (s.codec) {
            case H264:
            case H265:
                return buildVideoPes(s, frame, payload, pts, dts, alloc);
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

    private ByteBuf buildVideoPes(Stream s, MediaFrame frame, ByteBuf payload, long pts, long dts,
            ByteBufAllocator alloc) {
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
    private static void packetize(ByteBuf out, Stream s, ByteBuf pes, boolean randomAccess, boolean withPcr,
            long pcr) {
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
                        writePcr(out, pcr);
                        written += 6;
                    }
                    stuff(out, adaptation - written);
                }
            }
            out.writeBytes(pes, take);
            remaining -= take;
            first = false;
        }
    }

    /** Writes {@code n} stuffing bytes, 0xFF (§2.4.3.5 stuffing_byte, §2.4.4.1 after a section). */
    private static void stuff(ByteBuf out, int n) {
        for (int i = 0; i < n; i++) {
            out.writeByte(0xFF);
        }
    }

    /**
     * Writes {@code program_clock_reference_base} (33 bits, 90 kHz), 6 reserved bits and a
     * zero {@code program_clock_reference_extension} (§2.4.3.5).
     */
    static void writePcr(ByteBuf out, long pcr90k) {
        long base = pcr90k & PesHeader.TIMESTAMP_MASK;
        out.writeInt((int) (base >>> 1));
        out.writeByte((int) ((base & 1) << 7 | 0x7E));
        out.writeByte(0);
    }

    /** Writes one PSI section as packets: pointer_field 0 in the first, 0xFF after the section. */
    private static int writeSection(ByteBuf out, int pid, byte[] section, int cc) {
        int pos = 0;
        boolean first = true;
        while (pos < section.length) {
            out.writeByte(TsPacket.SYNC_BYTE);
            out.writeShort((first ? 0x4000 : 0) | pid);
            out.writeByte(0x10 | cc);
            cc = (cc + 1) & 0x0F;
            int room = TsPacket.BODY_SIZE;
            if (first) {
                out.writeByte(0); // pointer_field
                room--;
            }
            int take = Math.min(room, section.length - pos);
            out.writeBytes(section, pos, take);
            pos += take;
            stuff(out, room - take);
            first = false;
        }
        return cc;
    }

    /** The state of one elementary stream: its PID, counter and codec caches. */
    private static final class Stream {
        final int trackId;
        final CodecId codec;
        final int pid;
        final int streamType;
        final byte[] descriptors;
        int cc;
        boolean opusTrimPending = true;
        private Track cachedFor;
        private byte[] parameterSets;
        private AudioSpecificConfig aac;
        private int opusPreSkip;

        Stream(Track t, int pid) {
            this.trackId = t.id();
            this.codec = t.codec();
            this.pid = pid;
            this.streamType = TsStreamType.of(t.codec());
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
    }
}

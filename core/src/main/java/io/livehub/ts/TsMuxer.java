package io.livehub.ts;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
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
 * loss, which it is. Outputs that must not see that jump (SRT players, which ffmpeg checks)
 * share each frame's packets through {@link TsFrameForm} instead, with a
 * {@link TsFrameWriter} of their own stamping the counters.
 *
 * <p>Thread-safety: not thread-safe; one muxer per output stream, confined to one thread.
 *
 * <p>Ownership: frames are borrowed (their payloads are read with absolute indexes and
 * neither retained beyond the call nor released); every returned buffer belongs to the
 * caller.
 */
public final class TsMuxer {

    private final TsMuxerConfig config;
    private final TsElementaryStream[] streams;
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
        streams = new TsElementaryStream[tracks.size()];
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
            streams[i] = new TsElementaryStream(t, pid, true);
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
        for (TsElementaryStream s : streams) {
            es.add(s.elementaryStream());
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
     * @throws io.livehub.media.MalformedMediaException when a NAL unit length runs past the payload, or an AAC
     *     frame or configuration does not fit ADTS
     */
    public void write(MediaFrame frame, ByteBuf out) {
        Track track = frame.track();
        TsElementaryStream s = stream(track.id());
        if (track.codec() != s.codec) {
            throw new IllegalArgumentException("track " + track.id() + " is " + s.codec + " in the PMT, frame is "
                    + track.codec());
        }
        if (!frame.content().isReadable()) {
            return;
        }
        long dts = track.timebase().rescale(frame.dts(), Timebase.MPEG_90K);
        long pts = track.timebase().rescale(frame.pts(), Timebase.MPEG_90K);
        ByteBuf pes = s.buildPes(frame, pts, dts, out.alloc());
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
            s.packetize(out, pes, keyframe, s.pid == pcrPid, dts - pcrDelayTicks);
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

    private TsElementaryStream stream(int trackId) {
        for (TsElementaryStream s : streams) {
            if (s.trackId == trackId) {
                return s;
            }
        }
        throw new IllegalArgumentException("no track with id " + trackId + " in this TS program");
    }

    /** Writes {@code n} stuffing bytes, 0xFF (§2.4.3.5 stuffing_byte, §2.4.4.1 after a section). */
    static void stuff(ByteBuf out, int n) {
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
    static int writeSection(ByteBuf out, int pid, byte[] section, int cc) {
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
}

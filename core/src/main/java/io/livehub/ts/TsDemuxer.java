package io.livehub.ts;

import io.livehub.codec.AnnexB;
import io.livehub.codec.aac.Adts;
import io.livehub.codec.aac.AdtsHeader;
import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h264.H264AccessUnits;
import io.livehub.codec.h264.H264NalUnitType;
import io.livehub.codec.h264.H264Sps;
import io.livehub.codec.h265.H265AccessUnits;
import io.livehub.codec.h265.H265NalUnitType;
import io.livehub.codec.h265.H265Sps;
import io.livehub.codec.h265.HevcDecoderConfigurationRecord;
import io.livehub.codec.opus.OpusHead;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.TimestampUnwrapper;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Converts an MPEG-2 transport stream (ITU-T H.222.0) into the hub's media model: the PAT
 * (§2.4.4.3) leads to one program's PMT (§2.4.4.8), whose first H.264, H.265 or Opus video or
 * audio stream and first AAC or Opus audio stream are followed; their PES packets (§2.4.3.6)
 * are reassembled and become {@link Track}s and {@link MediaFrame}s, given to a
 * {@link TsDemuxerListener}.
 *
 * <ul>
 *   <li>H.264 and H.265 (Annex B) become 4-byte length-prefixed NAL units without access
 *       unit delimiters; parameter sets stay in the frame. A video track (id
 *       {@value #VIDEO_TRACK_ID}) is added when an access unit carries SPS and PPS (and VPS)
 *       that differ from the current ones; its config is the avcC or hvcC built from them,
 *       with width and height from the SPS. Frames before the first track are dropped and
 *       counted. The keyframe flag is set for IDR (H.264) and IRAP (H.265) access units.
 *   <li>AAC (ADTS) becomes one raw frame per ADTS frame; frames after the first in a PES get
 *       the PES time stamps plus their position times the frame duration. The audio track
 *       (id {@value #AUDIO_TRACK_ID}) has the AudioSpecificConfig of the ADTS header and is
 *       added again when that changes.
 *   <li>Opus becomes one raw packet per control header ({@link OpusInTs}), timed like AAC
 *       from each packet's TOC; the track's OpusHead comes from the PMT's channel_config_code
 *       with the first packet's start trim as pre-skip.
 * </ul>
 * Every track has the timebase {@link Timebase#MPEG_90K}; time stamps are the PES PTS and
 * DTS with the 33-bit wrap undone ({@link TimestampUnwrapper}), so a stream written by
 * {@link TsMuxer} from 90 kHz frames reads back tick for tick.
 *
 * <p>Damage is survived and counted, never thrown: bytes before a sync byte are skipped
 * until two packets in a row line up ({@link #skippedBytes}); a continuity counter jump
 * (§2.4.3.3), a {@code transport_error_indicator}, a PES over
 * {@link TsDemuxerConfig#maxPesSize()} or one cut short drops the PES being reassembled
 * ({@link #droppedPes}); a PES whose header or content does not parse counts in
 * {@link #malformedPes}, and the frames before the fault are kept. Memory is bounded: one
 * program, at most two PES buffers (each checked against the limit before it grows) and two
 * PSI section buffers of 1 KiB.
 *
 * <p>Thread-safety: not thread-safe; one demuxer per input stream, used on one thread.
 *
 * <p>Ownership: the input is borrowed; PES data is copied out of it into buffers from its
 * allocator. Every {@link MediaFrame} given to the listener belongs to it, and it passes
 * it on or releases it. {@link #close} releases partly reassembled PES packets.
 */
public final class TsDemuxer implements AutoCloseable {

    /** The track id of the video track. */
    public static final int VIDEO_TRACK_ID = 0;
    /** The track id of the audio track. */
    public static final int AUDIO_TRACK_ID = 1;

    private static final int UNKNOWN_LENGTH = -2;

    private final TsDemuxerConfig config;
    private final byte[] lastCc = new byte[TsPacket.MAX_PID + 1];
    private final PsiSectionAssembler patSections = new PsiSectionAssembler();
    private final PsiSectionAssembler pmtSections = new PsiSectionAssembler();
    private final TimestampUnwrapper clock = TimestampUnwrapper.ofBits(33);
    private int pmtPid = -1;
    private int programNumber;
    private PesStream video;
    private PesStream audio;
    private long skippedBytes;
    private long continuityErrors;
    private long transportErrors;
    private long droppedPes;
    private long malformedPes;
    private long droppedFrames;
    private long psiErrors;
    private TsDemuxerListener sink;
    private ByteBufAllocator alloc;

    /** Creates a demuxer with the default configuration. */
    public TsDemuxer() {
        this(TsDemuxerConfig.defaults());
    }

    public TsDemuxer(TsDemuxerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        Arrays.fill(lastCc, (byte) -1);
    }

    /**
     * Reads every whole transport packet of {@code in}; see the class notes for what is
     * given to {@code out}. Bytes that may begin a packet not yet complete stay unread, for
     * the caller to pass again with what follows (as a cumulating decoder does).
     *
     * <p>Ownership: {@code in} is borrowed; its reader index advances past the packets and
     * skipped bytes read. Frames given to {@code out} belong to it.
     */
    public void decode(ByteBuf in, TsDemuxerListener out) {
        sink = out;
        alloc = in.alloc();
        try {
            while (in.readableBytes() >= TsPacket.SIZE) {
                int i = in.readerIndex();
                if (in.getUnsignedByte(i) != TsPacket.SYNC_BYTE && !resync(in)) {
                    return;
                }
                i = in.readerIndex();
                onPacket(in, i);
                in.readerIndex(i + TsPacket.SIZE);
            }
        } finally {
            sink = null;
        }
    }

    /**
     * Completes the PES packets still being reassembled, as at the end of a file: a video PES
     * of unbounded length ends only where the next one starts, so its frame is held until
     * then or until this call.
     *
     * <p>Ownership: frames given to {@code out} belong to it.
     */
    public void flush(TsDemuxerListener out) {
        sink = out;
        try {
            for (PesStream s : new PesStream[] {video, audio}) {
                if (s != null && s.buf != null) {
                    completePes(s);
                }
            }
        } finally {
            sink = null;
        }
    }

    /** Releases partly reassembled PES packets; the demuxer may not be used afterwards. */
    @Override
    public void close() {
        if (video != null) {
            video.discard();
        }
        if (audio != null) {
            audio.discard();
        }
    }

    /** Returns the current video track, or null before the first one. */
    public Track videoTrack() {
        return video == null ? null : video.track;
    }

    /** Returns the current audio track, or null before the first one. */
    public Track audioTrack() {
        return audio == null ? null : audio.track;
    }

    /** Returns how many bytes were skipped to find the sync byte again. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** Returns how many continuity counter jumps were seen on followed PIDs (§2.4.3.3). */
    public long continuityErrors() {
        return continuityErrors;
    }

    /** Returns how many packets had the {@code transport_error_indicator} set. */
    public long transportErrors() {
        return transportErrors;
    }

    /** Returns how many PES packets were dropped: lost packets, a size over the limit, cut short. */
    public long droppedPes() {
        return droppedPes;
    }

    /** Returns how many PES packets had a header or content that did not parse. */
    public long malformedPes() {
        return malformedPes;
    }

    /** Returns how many frames were dropped because their track was not known yet. */
    public long droppedFrames() {
        return droppedFrames;
    }

    /** Returns how many PAT or PMT sections were bad (CRC, lengths, too long). */
    public long psiErrors() {
        return psiErrors + patSections.errors() + pmtSections.errors();
    }

    /**
     * Moves the reader index to the next sync byte confirmed by another one a packet later
     * (or by the end of the data right after a whole packet). Returns false when none is
     * found yet; bytes that cannot begin a packet are skipped, the rest wait for more data.
     */
    private boolean resync(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        for (int j = start + 1; j + TsPacket.SIZE <= end; j++) {
            if (in.getUnsignedByte(j) == TsPacket.SYNC_BYTE
                    && (j + TsPacket.SIZE == end || in.getUnsignedByte(j + TsPacket.SIZE) == TsPacket.SYNC_BYTE)) {
                skippedBytes += j - start;
                in.readerIndex(j);
                return true;
            }
        }
        int keep = Math.max(start + 1, end - (TsPacket.SIZE - 1));
        skippedBytes += keep - start;
        in.readerIndex(keep);
        return false;
    }

    /** Handles one transport packet (§2.4.3.2) at absolute {@code i}. */
    private void onPacket(ByteBuf in, int i) {
        int b1 = in.getUnsignedByte(i + 1);
        int pid = (b1 & 0x1F) << 8 | in.getUnsignedByte(i + 2);
        int b3 = in.getUnsignedByte(i + 3);
        PesStream stream = streamOf(pid);
        if ((b1 & 0x80) != 0) {
            transportErrors++;
            if (stream != null) {
                dropPes(stream);
            }
            return;
        }
        int control = b3 >>> 4 & 0x3;
        if (pid == TsPacket.NULL_PID || control == 0) {
            return;
        }
        int end = i + TsPacket.SIZE;
        int pos = i + TsPacket.HEADER_SIZE;
        boolean discontinuity = false;
        if ((control & 0x2) != 0) {
            int length = in.getUnsignedByte(pos);
            // §2.4.3.5: 0..182 with a payload, exactly 183 without.
            if ((control == 3 && length > 182) || (control == 2 && length != 183)) {
                if (stream != null) {
                    malformedPes++;
                    dropPes(stream);
                }
                return;
            }
            discontinuity = length > 0 && (in.getUnsignedByte(pos + 1) & 0x80) != 0;
            pos += 1 + length;
        }
        if ((control & 0x1) == 0) {
            return; // an adaptation field alone carries nothing the hub uses; its counter does not move
        }
        int cc = b3 & 0x0F;
        int last = lastCc[pid];
        lastCc[pid] = (byte) cc;
        if (last >= 0 && !discontinuity) {
            if (cc == last) {
                return; // a duplicate packet (§2.4.3.3), sent for robustness
            }
            if (cc != ((last + 1) & 0x0F) && (stream != null || pid == TsPacket.PAT_PID || pid == pmtPid)) {
                continuityErrors++;
                if (stream != null) {
                    dropPes(stream);
                } else if (pid == TsPacket.PAT_PID) {
                    patSections.reset();
                } else {
                    pmtSections.reset();
                }
            }
        }
        boolean unitStart = (b1 & 0x40) != 0;
        if (pid == TsPacket.PAT_PID) {
            patSections.push(in, pos, end, unitStart, this::onPat);
        } else if (pid == pmtPid) {
            pmtSections.push(in, pos, end, unitStart, this::onPmt);
        } else if (stream != null) {
            onPesPayload(stream, in, pos, end, unitStart);
        }
    }

    private PesStream streamOf(int pid) {
        if (video != null && video.pid == pid) {
            return video;
        }
        if (audio != null && audio.pid == pid) {
            return audio;
        }
        return null;
    }

    private void onPat(byte[] section) {
        ProgramAssociationTable pat;
        try {
            pat = ProgramAssociationTable.parse(section);
        } catch (MalformedMediaException e) {
            psiErrors++;
            return;
        }
        if (!PsiSection.currentNext(section)) {
            return;
        }
        for (ProgramAssociationTable.Program p : pat.programs()) {
            boolean wanted = config.programNumber() == 0 ? p.number() != 0 : p.number() == config.programNumber();
            if (!wanted) {
                continue;
            }
            if (p.pid() < 0x10 || p.pid() == TsPacket.NULL_PID) {
                psiErrors++;
                return;
            }
            if (p.pid() != pmtPid || p.number() != programNumber) {
                pmtPid = p.pid();
                programNumber = p.number();
                pmtSections.reset();
                video = replace(video, null);
                audio = replace(audio, null);
            }
            return;
        }
    }

    private void onPmt(byte[] section) {
        ProgramMapTable pmt;
        try {
            pmt = ProgramMapTable.parse(section);
        } catch (MalformedMediaException e) {
            psiErrors++;
            return;
        }
        if (!PsiSection.currentNext(section) || pmt.programNumber() != programNumber) {
            return;
        }
        PesStream v = null;
        PesStream a = null;
        for (ProgramMapTable.ElementaryStream es : pmt.streams()) {
            if (es.pid() < 0x10 || es.pid() == TsPacket.NULL_PID || es.pid() == pmtPid) {
                continue;
            }
            CodecId codec = codecOf(es);
            if (codec == null) {
                continue;
            }
            int opusCode = -1;
            if (codec == CodecId.OPUS) {
                byte[] d = es.extensionDescriptor(OpusInTs.EXTENSION_TAG);
                opusCode = d == null || d.length < 1 ? -1 : d[0] & 0xFF;
            }
            if (codec.kind() == TrackKind.VIDEO && v == null) {
                v = new PesStream(es.pid(), codec, VIDEO_TRACK_ID, opusCode);
            } else if (codec.kind() == TrackKind.AUDIO && a == null) {
                a = new PesStream(es.pid(), codec, AUDIO_TRACK_ID, opusCode);
            }
        }
        video = replace(video, v);
        audio = replace(audio, a);
    }

    /** Keeps the current stream when the PMT describes it unchanged, else swaps in the new one. */
    private static PesStream replace(PesStream current, PesStream next) {
        if (current != null && next != null && current.pid == next.pid && current.codec == next.codec
                && current.opusCode == next.opusCode) {
            return current;
        }
        if (current != null) {
            current.discard();
        }
        return next;
    }

    private static CodecId codecOf(ProgramMapTable.ElementaryStream es) {
        switch (es.streamType()) {
            case TsStreamType.H264:
                return CodecId.H264;
            case TsStreamType.H265:
                return CodecId.H265;
            case TsStreamType.AAC_ADTS:
                return CodecId.AAC;
            case TsStreamType.PRIVATE_PES:
                return "Opus".equals(es.registration()) ? CodecId.OPUS : null;
            default:
                return null;
        }
    }

    private void dropPes(PesStream s) {
        if (s.buf != null) {
            droppedPes++;
            s.discard();
        }
    }

    /** Adds one packet's payload to the stream's PES (§2.4.3.6), completing it when it is whole. */
    private void onPesPayload(PesStream s, ByteBuf in, int pos, int end, boolean unitStart) {
        int length = end - pos;
        if (unitStart) {
            if (s.buf != null) {
                completePes(s);
            }
            int expected = UNKNOWN_LENGTH;
            if (length >= 6) {
                int packetLength = in.getUnsignedShort(pos + 4);
                expected = packetLength == 0 ? -1 : 6 + packetLength;
            }
            if (expected > config.maxPesSize()) {
                droppedPes++;
                return;
            }
            int initial = expected > 0 ? expected : Math.min(Math.max(length, 4096), config.maxPesSize());
            s.buf = alloc.buffer(initial, config.maxPesSize());
            s.expected = expected;
        } else if (s.buf == null) {
            return; // waiting for the start of a PES after a loss
        }
        if (length > config.maxPesSize() - s.buf.writerIndex()) {
            droppedPes++;
            s.discard();
            return;
        }
        s.buf.writeBytes(in, pos, length);
        if (s.expected == UNKNOWN_LENGTH && s.buf.readableBytes() >= 6) {
            int packetLength = s.buf.getUnsignedShort(4);
            s.expected = packetLength == 0 ? -1 : 6 + packetLength;
        }
        if (s.expected > 0 && s.buf.readableBytes() >= s.expected) {
            completePes(s);
        }
    }

    /** Parses a whole PES and converts its data; always releases the PES buffer. */
    private void completePes(PesStream s) {
        ByteBuf pes = s.buf;
        s.buf = null;
        try {
            if (s.expected > 0 && pes.readableBytes() < s.expected || s.expected == UNKNOWN_LENGTH) {
                droppedPes++; // cut short by the next PES
                return;
            }
            PesHeader h = PesHeader.parse(pes, 0, pes.writerIndex());
            if (h.pts() < 0) {
                malformedPes++;
                return;
            }
            int dataEnd = h.packetLength() == 0 ? pes.writerIndex() : 6 + h.packetLength();
            long dts33 = h.dts() >= 0 ? h.dts() : h.pts();
            long dts = clock.unwrap(dts33);
            long pts = dts + clock.difference(h.pts(), dts33);
            ByteBuf data = pes.slice(h.headerLength(), dataEnd - h.headerLength());
            switch (s.codec) {
                case H264:
                case H265:
                    onVideo(s, data, pts, dts);
                    break;
                case AAC:
                    onAac(s, data, pts, dts);
                    break;
                case OPUS:
                    onOpus(s, data, pts, dts);
                    break;
                default:
                    break;
            }
        } catch (MalformedMediaException e) {
            malformedPes++;
        } finally {
            pes.release();
        }
    }

    private void onVideo(PesStream s, ByteBuf data, long pts, long dts) {
        boolean h264 = s.codec == CodecId.H264;
        List<ByteBuf> units = AnnexB.split(data);
        List<byte[]> vps = new ArrayList<>(1);
        List<byte[]> sps = new ArrayList<>(1);
        List<byte[]> pps = new ArrayList<>(1);
        int size = 0;
        for (ByteBuf nal : units) {
            int header = nal.getUnsignedByte(nal.readerIndex());
            int type = h264 ? H264NalUnitType.of(header) : H265NalUnitType.of(header);
            if (h264) {
                if (type == H264NalUnitType.ACCESS_UNIT_DELIMITER) {
                    continue;
                }
                collect(type == H264NalUnitType.SPS ? sps : type == H264NalUnitType.PPS ? pps : null, nal);
            } else {
                if (type == H265NalUnitType.ACCESS_UNIT_DELIMITER) {
                    continue;
                }
                collect(type == H265NalUnitType.VPS ? vps : type == H265NalUnitType.SPS ? sps
                        : type == H265NalUnitType.PPS ? pps : null, nal);
            }
            size += 4 + nal.readableBytes();
        }
        if (!sps.isEmpty() && !pps.isEmpty() && (h264 || !vps.isEmpty())) {
            updateVideoTrack(s, vps, sps, pps);
        }
        if (size == 0) {
            return;
        }
        if (s.track == null) {
            droppedFrames++;
            return;
        }
        ByteBuf payload = alloc.buffer(size);
        for (ByteBuf nal : units) {
            int header = nal.getUnsignedByte(nal.readerIndex());
            boolean aud = h264 ? H264NalUnitType.of(header) == H264NalUnitType.ACCESS_UNIT_DELIMITER
                    : H265NalUnitType.of(header) == H265NalUnitType.ACCESS_UNIT_DELIMITER;
            if (!aud) {
                payload.writeInt(nal.readableBytes());
                payload.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
            }
        }
        boolean keyframe = h264 ? H264AccessUnits.containsIdr(payload, 4) : H265AccessUnits.containsIrap(payload, 4);
        sink.onFrame(MediaFrame.of(s.track, dts, pts, keyframe, payload));
    }

    private static void collect(List<byte[]> into, ByteBuf nal) {
        if (into != null) {
            into.add(ByteBufUtil.getBytes(nal));
        }
    }

    private void updateVideoTrack(PesStream s, List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {
        List<byte[]> sets = new ArrayList<>(vps);
        sets.addAll(sps);
        sets.addAll(pps);
        if (s.parameterSets != null && io.livehub.codec.ByteArrays.equals(sets, s.parameterSets)) {
            return;
        }
        Track.Builder b = Track.builder(s.codec).id(s.trackId).timebase(Timebase.MPEG_90K);
        if (s.codec == CodecId.H264) {
            b.config(AvcDecoderConfigurationRecord.of(sps, pps).encode());
            H264Sps p = H264Sps.parse(sps.get(0));
            b.dimensions(p.width(), p.height());
        } else {
            b.config(HevcDecoderConfigurationRecord.of(vps, sps, pps).encode());
            H265Sps p = H265Sps.parse(sps.get(0));
            b.dimensions(p.width(), p.height());
        }
        Track t = b.build();
        s.parameterSets = sets;
        if (!t.sameConfig(s.track)) {
            s.track = t;
            sink.onTrack(t);
        }
    }

    private void onAac(PesStream s, ByteBuf data, long pts, long dts) {
        int k = 0;
        while (data.isReadable()) {
            AdtsHeader h = AdtsHeader.parse(data, data.readerIndex());
            AudioSpecificConfig asc = h.audioSpecificConfig();
            if (!asc.equals(s.aac)) {
                s.aac = asc;
                s.track = Track.builder(CodecId.AAC).id(s.trackId).timebase(Timebase.MPEG_90K)
                        .config(asc.encode()).audio(asc.samplingFrequency(), asc.channelConfiguration()).build();
                sink.onTrack(s.track);
            }
            ByteBuf raw = Adts.readRawFrame(data);
            long offset = ticks((long) k * asc.samplesPerFrame(), asc.samplingFrequency());
            sink.onFrame(MediaFrame.of(s.track, dts + offset, pts + offset, true, raw));
            k++;
        }
    }

    private void onOpus(PesStream s, ByteBuf data, long pts, long dts) {
        int i = data.readerIndex();
        int end = data.writerIndex();
        long samples = 0;
        while (i < end) {
            if (end - i < 3) {
                throw new MalformedMediaException("truncated Opus control header");
            }
            int flags = data.getUnsignedShort(i);
            if ((flags & 0xFFE0) != OpusInTs.CONTROL_PREFIX) {
                throw new MalformedMediaException("Opus control header prefix missing");
            }
            i += 2;
            int size = 0;
            int b;
            do {
                if (i >= end) {
                    throw new MalformedMediaException("truncated Opus au_size");
                }
                b = data.getUnsignedByte(i++);
                size += b;
            } while (b == 0xFF && size <= end - i);
            int startTrim = -1;
            int extra = ((flags & OpusInTs.START_TRIM_FLAG) != 0 ? 2 : 0) + ((flags & OpusInTs.END_TRIM_FLAG) != 0 ? 2 : 0);
            if (extra > end - i) {
                throw new MalformedMediaException("truncated Opus trim fields");
            }
            if ((flags & OpusInTs.START_TRIM_FLAG) != 0) {
                startTrim = data.getUnsignedShort(i) & 0x1FFF;
            }
            i += extra;
            if ((flags & OpusInTs.CONTROL_EXTENSION_FLAG) != 0) {
                if (i >= end) {
                    throw new MalformedMediaException("truncated Opus control extension");
                }
                int n = data.getUnsignedByte(i++);
                if (n > end - i) {
                    throw new MalformedMediaException("Opus control extension runs past the PES");
                }
                i += n;
            }
            if (size > end - i) {
                throw new MalformedMediaException("Opus au_size " + size + " runs past the PES");
            }
            int duration = OpusInTs.packetSamples(data, i, size);
            if (duration < 0) {
                throw new MalformedMediaException("Opus packet without a valid TOC");
            }
            if (s.track == null) {
                OpusHead head = OpusInTs.headOf(s.opusCode, Math.max(startTrim, 0));
                if (head != null) {
                    s.track = Track.builder(CodecId.OPUS).id(s.trackId).timebase(Timebase.MPEG_90K)
                            .config(head.encode()).audio(48_000, head.channelCount()).build();
                    sink.onTrack(s.track);
                }
            }
            if (s.track == null) {
                droppedFrames++;
            } else {
                long offset = ticks(samples, 48_000);
                sink.onFrame(MediaFrame.of(s.track, dts + offset, pts + offset, true, data.retainedSlice(i, size)));
            }
            i += size;
            samples += duration;
        }
    }

    /** Returns {@code samples} at {@code rate} Hz in 90 kHz ticks, rounded to the nearest. */
    private static long ticks(long samples, int rate) {
        return (samples * 90_000 + rate / 2) / rate;
    }

    /** The reassembly state and track of one followed elementary stream. */
    private static final class PesStream {
        final int pid;
        final CodecId codec;
        final int trackId;
        final int opusCode;
        ByteBuf buf;
        int expected;
        Track track;
        List<byte[]> parameterSets;
        AudioSpecificConfig aac;

        PesStream(int pid, CodecId codec, int trackId, int opusCode) {
            this.pid = pid;
            this.codec = codec;
            this.trackId = trackId;
            this.opusCode = opusCode;
        }

        void discard() {
            if (buf != null) {
                buf.release();
                buf = null;
            }
        }
    }
}

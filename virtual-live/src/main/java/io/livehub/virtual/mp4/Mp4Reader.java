package io.livehub.virtual.mp4;

import io.livehub.codec.LengthPrefixedNalUnits;
import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.virtual.MediaFileReader;
import io.livehub.virtual.UnsupportedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Reads a progressive or fragmented MP4 file (ISO/IEC 14496-12) into hub frames, one video and
 * one audio track, in decode order across the two.
 *
 * <p>Progressive files: the sample tables of {@code moov} (stts, ctts v0 and v1, stsc,
 * stsz/stz2, stco/co64, stss) become compact arrays per track ({@link SampleTable}); the
 * samples are read one at a time with positional reads. Fragmented files ({@code moov/mvex}):
 * each {@code moof} (tfhd, tfdt, trun) is read when the samples before it are used up, with the
 * defaults of {@code trex}. A file with samples in both is played tables first. The first edit
 * of an edit list ({@code elst}, 8.6.6: an empty edit and the media time of the first real one)
 * shifts the track's timestamps, which is how B-frame delay and AAC priming are undone.
 *
 * <p>Frames are in canonical form: H.264 and H.265 samples with 4-byte NAL unit lengths
 * (converted when the file uses 1 or 2), AAC and Opus raw, AV1 as OBUs; the Track holds the
 * avcC/hvcC (lengthSizeMinusOne 3), AudioSpecificConfig, OpusHead or av1C. The timebase of a
 * track is its media timescale ({@code mdhd}).
 *
 * <p>Limits: see {@link Mp4Limits}. Every box size, count and sample position is checked against
 * them and against the file size; a file that breaks one fails with
 * {@link MalformedMediaException} naming the file.
 *
 * <p>Thread-safety: not thread-safe.
 */
public final class Mp4Reader implements MediaFileReader {

    private static final int MOOV = BoxHeader.type("moov");
    private static final int MOOF = BoxHeader.type("moof");
    private static final int MVHD = BoxHeader.type("mvhd");
    private static final int TRAK = BoxHeader.type("trak");
    private static final int MVEX = BoxHeader.type("mvex");
    private static final int TREX = BoxHeader.type("trex");
    private static final int TKHD = BoxHeader.type("tkhd");
    private static final int EDTS = BoxHeader.type("edts");
    private static final int ELST = BoxHeader.type("elst");
    private static final int MDIA = BoxHeader.type("mdia");
    private static final int MDHD = BoxHeader.type("mdhd");
    private static final int HDLR = BoxHeader.type("hdlr");
    private static final int MINF = BoxHeader.type("minf");
    private static final int STBL = BoxHeader.type("stbl");
    private static final int STSD = BoxHeader.type("stsd");
    private static final int STTS = BoxHeader.type("stts");
    private static final int CTTS = BoxHeader.type("ctts");
    private static final int STSC = BoxHeader.type("stsc");
    private static final int STSZ = BoxHeader.type("stsz");
    private static final int STZ2 = BoxHeader.type("stz2");
    private static final int STCO = BoxHeader.type("stco");
    private static final int CO64 = BoxHeader.type("co64");
    private static final int STSS = BoxHeader.type("stss");
    private static final int TRAF = BoxHeader.type("traf");
    private static final int TFHD = BoxHeader.type("tfhd");
    private static final int TFDT = BoxHeader.type("tfdt");
    private static final int TRUN = BoxHeader.type("trun");
    private static final int VIDE = BoxHeader.type("vide");
    private static final int SOUN = BoxHeader.type("soun");

    /** Sample flags: sample_is_non_sync_sample (8.8.3.1). */
    private static final int NON_SYNC = 0x0001_0000;

    private final RandomAccessInput in;
    private final String name;
    private final Mp4Limits limits;
    private final ByteBufAllocator alloc;
    private final Closeable closer;
    private final long fileSize;
    private final List<TrackState> tracks = new ArrayList<>(2);
    private boolean fragmented;

    // Iteration.
    private boolean tablesDone;
    private long scanPos;
    private final Fragment fragment = new Fragment();

    private Mp4Reader(RandomAccessInput in, String name, Mp4Limits limits, ByteBufAllocator alloc, Closeable closer)
            throws IOException {
        this.in = in;
        this.name = name;
        this.limits = limits;
        this.alloc = alloc;
        this.closer = closer;
        this.fileSize = in.size();
    }

    /**
     * Opens {@code file} and reads its movie box.
     *
     * @throws UnsupportedMediaException when a track's codec is not supported
     * @throws MalformedMediaException when the file is malformed or breaks a limit
     */
    public static Mp4Reader open(Path file, Mp4Limits limits, ByteBufAllocator alloc) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return open(RandomAccessInput.of(ch), String.valueOf(file.getFileName()), limits, alloc, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens an MP4 held by {@code in}; {@code closer} (nullable) is closed by {@link #close()}.
     *
     * @param name the file's name, for messages
     */
    public static Mp4Reader open(RandomAccessInput in, String name, Mp4Limits limits, ByteBufAllocator alloc,
                                 Closeable closer) throws IOException {
        Mp4Reader r = new Mp4Reader(Objects.requireNonNull(in, "in"), Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(limits, "limits"), Objects.requireNonNull(alloc, "alloc"), closer);
        r.readMovie();
        return r;
    }

    @Override
    public String name() {
        return name;
    }

    /** Returns the tracks played: at most one video and one audio track. */
    public List<Track> tracks() {
        List<Track> out = new ArrayList<>(tracks.size());
        for (TrackState t : tracks) {
            out.add(t.track);
        }
        return out;
    }

    /** Returns whether the file has movie fragments ({@code mvex}). */
    public boolean isFragmented() {
        return fragmented;
    }

    // ---- movie box ----

    private void readMovie() throws IOException {
        BoxHeader moov = null;
        long pos = 0;
        while (pos < fileSize) {
            BoxHeader h = BoxHeader.read(in, pos, fileSize);
            if (h.type() == MOOV) {
                moov = h;
                break;
            }
            pos = h.end();
        }
        if (moov == null) {
            throw new MalformedMediaException("no movie box (moov) in " + name);
        }
        long movieTimescale = 0;
        List<BoxHeader> traks = new ArrayList<>();
        List<byte[]> trex = new ArrayList<>();
        for (long p = moov.contentOffset(); p < moov.end(); ) {
            BoxHeader h = BoxHeader.read(in, p, moov.end());
            if (h.type() == MVHD) {
                BoxData d = load(h, "mvhd");
                int version = d.u8();
                d.skip(3 + (version == 1 ? 16 : 8));
                movieTimescale = d.u32();
            } else if (h.type() == TRAK) {
                if (traks.size() == limits.maxTracks()) {
                    throw new MalformedMediaException(name + " has more than " + limits.maxTracks() + " tracks");
                }
                traks.add(h);
            } else if (h.type() == MVEX) {
                fragmented = true;
                for (long q = h.contentOffset(); q < h.end(); ) {
                    BoxHeader x = BoxHeader.read(in, q, h.end());
                    if (x.type() == TREX && trex.size() < limits.maxTracks()) {
                        trex.add(load(x, "trex").bytes(24));
                    }
                    q = x.end();
                }
            }
            p = h.end();
        }
        for (BoxHeader t : traks) {
            readTrack(t, movieTimescale);
        }
        if (tracks.isEmpty()) {
            throw new MalformedMediaException("no audio or video track in " + name);
        }
        for (byte[] x : trex) {
            BoxData d = new BoxData(x, "trex");
            d.skip(4);
            TrackState t = track((int) d.u32());
            if (t != null) {
                d.skip(4); // default_sample_description_index
                t.trexDuration = d.u32();
                t.trexSize = d.u32();
                t.trexFlags = d.s32();
            }
        }
    }

    private void readTrack(BoxHeader trak, long movieTimescale) throws IOException {
        int trackId = 0;
        long timescale = 0;
        int handler = 0;
        BoxHeader stsd = null;
        byte[] elst = null;
        SampleTable.Boxes tables = new SampleTable.Boxes();
        for (long p = trak.contentOffset(); p < trak.end(); ) {
            BoxHeader h = BoxHeader.read(in, p, trak.end());
            if (h.type() == TKHD) {
                BoxData d = load(h, "tkhd");
                int version = d.u8();
                d.skip(3 + (version == 1 ? 16 : 8));
                trackId = d.s32();
            } else if (h.type() == EDTS) {
                for (long q = h.contentOffset(); q < h.end(); ) {
                    BoxHeader e = BoxHeader.read(in, q, h.end());
                    if (e.type() == ELST) {
                        elst = load(e, "elst").bytes((int) e.contentSize());
                    }
                    q = e.end();
                }
            } else if (h.type() == MDIA) {
                for (long q = h.contentOffset(); q < h.end(); ) {
                    BoxHeader m = BoxHeader.read(in, q, h.end());
                    if (m.type() == MDHD) {
                        BoxData d = load(m, "mdhd");
                        int version = d.u8();
                        d.skip(3 + (version == 1 ? 16 : 8));
                        timescale = d.u32();
                    } else if (m.type() == HDLR) {
                        BoxData d = load(m, "hdlr");
                        d.skip(8);
                        handler = d.s32();
                    } else if (m.type() == MINF) {
                        BoxHeader stbl = childOf(m, STBL);
                        if (stbl != null) {
                            stsd = tableBoxes(stbl, tables);
                        }
                    }
                    q = m.end();
                }
            }
            p = h.end();
        }
        boolean video = handler == VIDE;
        if (!video && handler != SOUN) {
            return; // text, timecode, hint, metadata tracks are not played
        }
        if (track(video) != null) {
            return; // the first video and the first audio track are played
        }
        if (stsd == null) {
            throw new MalformedMediaException("track " + trackId + " of " + name + " has no sample description");
        }
        if (timescale <= 0 || timescale > Integer.MAX_VALUE) {
            throw new MalformedMediaException("track " + trackId + " of " + name + " has timescale " + timescale);
        }
        SampleDescription desc = SampleDescription.parse(load(stsd, "stsd"), video, name);
        TrackState t = new TrackState();
        t.trackId = trackId;
        t.video = video;
        t.timescale = timescale;
        t.desc = desc;
        t.shift = elst == null ? 0 : editShift(new BoxData(elst, "elst"), movieTimescale, timescale);
        t.track = hubTrack(desc, video, Timebase.ofRate((int) timescale));
        t.table = SampleTable.read(in, tables, limits, name + " track " + trackId);
        tracks.add(t);
    }

    private BoxHeader childOf(BoxHeader parent, int type) throws IOException {
        for (long p = parent.contentOffset(); p < parent.end(); ) {
            BoxHeader h = BoxHeader.read(in, p, parent.end());
            if (h.type() == type) {
                return h;
            }
            p = h.end();
        }
        return null;
    }

    private BoxHeader tableBoxes(BoxHeader stbl, SampleTable.Boxes b) throws IOException {
        BoxHeader stsd = null;
        for (long p = stbl.contentOffset(); p < stbl.end(); ) {
            BoxHeader h = BoxHeader.read(in, p, stbl.end());
            int t = h.type();
            if (t == STSD) {
                stsd = h;
            } else if (t == STTS) {
                b.stts = h;
            } else if (t == CTTS) {
                b.ctts = h;
            } else if (t == STSC) {
                b.stsc = h;
            } else if (t == STSZ) {
                b.stsz = h;
            } else if (t == STZ2) {
                b.stz2 = h;
            } else if (t == STCO) {
                b.stco = h;
            } else if (t == CO64) {
                b.co64 = h;
            } else if (t == STSS) {
                b.stss = h;
            }
            p = h.end();
        }
        return stsd;
    }

    /**
     * Returns what the edit list adds to the track's media times (8.6.6): the leading empty
     * edits (movie timescale, converted) minus the media time of the first edit that plays.
     */
    static long editShift(BoxData elst, long movieTimescale, long timescale) {
        int version = elst.u8();
        elst.skip(3);
        long count = elst.u32();
        long empty = 0;
        long mediaTime = 0;
        for (long i = 0; i < count; i++) {
            long duration = version == 1 ? elst.u64() : elst.u32();
            long time = version == 1 ? elst.s64() : elst.s32();
            elst.skip(4); // media_rate
            if (time == -1) {
                empty += duration;
            } else {
                mediaTime = time;
                break;
            }
        }
        long emptyMedia = movieTimescale > 0 ? new Timebase(1, (int) Math.min(movieTimescale, Integer.MAX_VALUE))
                .rescale(Math.min(empty, 1L << 40), Timebase.ofRate((int) timescale)) : 0;
        return emptyMedia - mediaTime;
    }

    private static Track hubTrack(SampleDescription d, boolean video, Timebase tb) {
        Track.Builder b = Track.builder(d.codec()).id(video ? 0 : 1).timebase(tb).config(d.config());
        if (video) {
            b.dimensions(d.width(), d.height());
        } else {
            int rate = d.sampleRate();
            int channels = d.channels();
            if (d.codec() == CodecId.AAC) {
                try {
                    AudioSpecificConfig asc = AudioSpecificConfig.parse(d.config());
                    rate = asc.samplingFrequency();
                    channels = asc.channelConfiguration() != 0 ? asc.channelConfiguration() : channels;
                } catch (MalformedMediaException | IllegalArgumentException e) {
                    // Keep the sample entry's values; they are informational.
                }
            }
            b.audio(rate, channels);
        }
        return b.build();
    }

    private BoxData load(BoxHeader h, String what) throws IOException {
        return new BoxData(loadBytes(h, limits.maxBoxSize(), what), what + " of " + name);
    }

    private byte[] loadBytes(BoxHeader h, int limit, String what) throws IOException {
        if (h.contentSize() > limit) {
            throw new MalformedMediaException(what + " box of " + h.size() + " bytes in " + name
                    + " is larger than the limit of " + limit);
        }
        byte[] b = new byte[(int) h.contentSize()];
        in.readFully(h.contentOffset(), ByteBuffer.wrap(b));
        return b;
    }

    private TrackState track(int trackId) {
        for (TrackState t : tracks) {
            if (t.trackId == trackId) {
                return t;
            }
        }
        return null;
    }

    private TrackState track(boolean video) {
        for (TrackState t : tracks) {
            if (t.video == video) {
                return t;
            }
        }
        return null;
    }

    // ---- iteration ----

    @Override
    public MediaFrame next() throws IOException {
        while (true) {
            if (!tablesDone) {
                TrackState best = null;
                long bestTime = Long.MAX_VALUE;
                for (TrackState t : tracks) {
                    if (t.cursor < t.table.count) {
                        long time = t.micros(t.table.dts[t.cursor]);
                        if (best == null || time < bestTime) {
                            best = t;
                            bestTime = time;
                        }
                    }
                }
                if (best == null) {
                    tablesDone = true;
                    continue;
                }
                int i = best.cursor++;
                SampleTable tb = best.table;
                MediaFrame f = frame(best, tb.offset[i], tb.size[i], tb.dts[i], tb.cts[i], tb.isSync(i));
                if (f != null) {
                    return f;
                }
                continue;
            }
            if (!fragmented) {
                return null;
            }
            if (fragment.next < fragment.count) {
                int k = fragment.order[fragment.next++];
                TrackState t = tracks.get(fragment.track[k]);
                MediaFrame f = frame(t, fragment.offset[k], fragment.size[k], fragment.dts[k], fragment.cts[k],
                        fragment.sync.get(k));
                if (f != null) {
                    return f;
                }
                continue;
            }
            if (!nextFragment()) {
                return null;
            }
        }
    }

    @Override
    public void rewind() {
        for (TrackState t : tracks) {
            t.cursor = 0;
            t.fragmentDts = 0;
        }
        tablesDone = false;
        scanPos = 0;
        fragment.clear();
    }

    /**
     * Seeks a progressive file through its sample tables: video to the last sync sample at or
     * before the offset, the other tracks to their first sample from that time on. Fragmented
     * files are not seeked (their fragments are only found by reading).
     */
    @Override
    public OptionalLong seekNear(long offsetMicros) {
        long start = Long.MAX_VALUE;
        for (TrackState t : tracks) {
            if (t.table.count > 0) {
                start = Math.min(start, t.micros(t.table.dts[0]));
            }
        }
        if (start == Long.MAX_VALUE || fragmented) {
            return OptionalLong.empty();
        }
        rewind();
        long target = start + Math.max(0, offsetMicros);
        long from = target;
        TrackState video = track(true);
        if (video != null && video.table.count > 0) {
            SampleTable tb = video.table;
            int key = 0;
            for (int i = 0; i < tb.count && video.micros(tb.dts[i]) <= target; i++) {
                if (tb.isSync(i)) {
                    key = i;
                }
            }
            video.cursor = key;
            from = video.micros(tb.dts[key]);
        }
        for (TrackState t : tracks) {
            if (t != video) {
                int i = 0;
                while (i < t.table.count && t.micros(t.table.dts[i]) < from) {
                    i++;
                }
                t.cursor = i;
            }
        }
        return OptionalLong.of(start);
    }

    /** Reads a sample; returns null for an empty one. */
    private MediaFrame frame(TrackState t, long offset, int size, long dts, int cts, boolean sync) throws IOException {
        if (size == 0) {
            return null;
        }
        ByteBuf buf = alloc.buffer(size, size);
        try {
            in.readFully(offset, buf.nioBuffer(0, size));
            buf.writerIndex(size);
            int lengthSize = t.desc.nalLengthSize();
            if (lengthSize == 4) {
                LengthPrefixedNalUnits.validate(buf, 4);
            } else if (lengthSize != 0) {
                ByteBuf wide = LengthPrefixedNalUnits.toFourByteLengths(buf, lengthSize, alloc);
                buf.release();
                buf = wide;
            }
        } catch (IOException | RuntimeException e) {
            buf.release();
            if (e instanceof MalformedMediaException) {
                throw new MalformedMediaException(name + ": " + t.desc.codec() + " sample at " + offset + ": "
                        + e.getMessage(), e);
            }
            throw e;
        }
        long d = dts + t.shift;
        return MediaFrame.of(t.track, d, d + cts, !t.video || sync, buf);
    }

    /** Finds the next moof from {@link #scanPos} and loads its samples; false at the end of the file. */
    private boolean nextFragment() throws IOException {
        fragment.clear();
        while (scanPos < fileSize) {
            BoxHeader h = BoxHeader.read(in, scanPos, fileSize);
            scanPos = h.end();
            if (h.type() == MOOF) {
                readFragment(h);
                if (fragment.count > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private void readFragment(BoxHeader moof) throws IOException {
        BoxData m = new BoxData(loadBytes(moof, limits.maxMoofSize(), "moof"), "moof at " + moof.offset() + " of " + name);
        int[] type = new int[1];
        BoxData traf;
        long previousEnd = moof.offset();
        while ((traf = m.child(type)) != null) {
            if (type[0] != TRAF) {
                continue;
            }
            previousEnd = readTrackFragment(traf, moof, previousEnd);
        }
        fragment.sortByTime(tracks);
    }

    /** Reads one traf (8.8.6 to 8.8.8, 8.8.12); returns where its data ends. */
    private long readTrackFragment(BoxData traf, BoxHeader moof, long previousEnd) {
        int[] type = new int[1];
        BoxData b;
        TrackState t = null;
        long base = previousEnd;
        long duration = 0;
        long size = 0;
        int flags = 0;
        long dataPos = -1;
        while ((b = traf.child(type)) != null) {
            if (type[0] == TFHD) {
                int tf = b.s32() & 0xFF_FFFF;
                t = track(b.s32());
                if (t == null) {
                    return previousEnd; // a track that is not played
                }
                duration = t.trexDuration;
                size = t.trexSize;
                flags = t.trexFlags;
                if ((tf & 0x1) != 0) {
                    base = b.u64();
                } else if ((tf & 0x2_0000) != 0) {
                    base = moof.offset(); // default-base-is-moof
                }
                if ((tf & 0x2) != 0) {
                    b.skip(4); // sample_description_index
                }
                if ((tf & 0x8) != 0) {
                    duration = b.u32();
                }
                if ((tf & 0x10) != 0) {
                    size = b.u32();
                }
                if ((tf & 0x20) != 0) {
                    flags = b.s32();
                }
            } else if (t == null) {
                continue;
            } else if (type[0] == TFDT) {
                int version = b.u8();
                b.skip(3);
                t.fragmentDts = version == 1 ? b.u64() : b.u32();
            } else if (type[0] == TRUN) {
                dataPos = readRun(b, t, base, dataPos, duration, size, flags);
            }
        }
        return dataPos < 0 ? previousEnd : dataPos;
    }

    private long readRun(BoxData b, TrackState t, long base, long dataPos, long defDuration, long defSize,
                         int defFlags) {
        b.skip(1); // version: 1 only makes the composition offsets signed, read signed either way
        int tf = b.u24();
        long count = b.u32();
        long pos = (tf & 0x1) != 0 ? base + b.s32() : dataPos < 0 ? base : dataPos;
        int firstFlags = (tf & 0x4) != 0 ? b.s32() : 0;
        int perSample = Integer.bitCount(tf & 0xF00) * 4;
        if (count * perSample > b.remaining()) {
            throw new MalformedMediaException("trun of " + name + " claims " + count + " samples but holds "
                    + b.remaining() + " bytes");
        }
        if (fragment.count + count > limits.maxFragmentSamples()) {
            throw new MalformedMediaException("moof of " + name + " has more than " + limits.maxFragmentSamples()
                    + " samples");
        }
        if ((tf & 0x200) == 0 && count * Math.max(defSize, 1) > fileSize) {
            // Without sizes in the run, a few bytes could claim many samples; they must fit the file.
            throw new MalformedMediaException("trun of " + name + " claims " + count + " samples of " + defSize
                    + " bytes, more than the file holds");
        }
        for (int i = 0; i < count; i++) {
            long duration = (tf & 0x100) != 0 ? b.u32() : defDuration;
            long size = (tf & 0x200) != 0 ? b.u32() : defSize;
            int flags = (tf & 0x400) != 0 ? b.s32() : i == 0 && (tf & 0x4) != 0 ? firstFlags : defFlags;
            int cts = 0;
            if ((tf & 0x800) != 0) {
                // Version 0 is unsigned in the text; ffmpeg and others write signed values there too.
                cts = b.s32();
            }
            int s = SampleTable.checkSize(size, limits, name, fragment.count);
            if (pos < 0 || pos + s > fileSize) {
                throw new MalformedMediaException(name + ": fragment sample at " + pos + " (" + s
                        + " bytes) lies beyond the end of the file (" + fileSize + ")");
            }
            fragment.add(tracks.indexOf(t), pos, s, t.fragmentDts, cts, (flags & NON_SYNC) == 0);
            pos += s;
            t.fragmentDts += duration;
        }
        return pos;
    }

    @Override
    public void close() throws IOException {
        fragment.clear();
        if (closer != null) {
            closer.close();
        }
    }

    /** What the reader knows of one played track. */
    private static final class TrackState {
        int trackId;
        boolean video;
        long timescale;
        SampleDescription desc;
        Track track;
        long shift;
        SampleTable table = SampleTable.EMPTY;
        int cursor;
        long fragmentDts;
        long trexDuration;
        long trexSize;
        int trexFlags;

        long micros(long mediaTime) {
            return Math.floorDiv((mediaTime + shift) * 1_000_000L, timescale);
        }
    }

    /** The samples of one movie fragment, in decode order across tracks; arrays grow on demand. */
    private static final class Fragment {
        int count;
        int next;
        int[] track = new int[64];
        long[] offset = new long[64];
        int[] size = new int[64];
        long[] dts = new long[64];
        int[] cts = new int[64];
        final BitSet sync = new BitSet();
        int[] order = new int[0];

        void add(int t, long off, int sz, long d, int c, boolean key) {
            if (count == track.length) {
                int n = count * 2;
                track = Arrays.copyOf(track, n);
                offset = Arrays.copyOf(offset, n);
                size = Arrays.copyOf(size, n);
                dts = Arrays.copyOf(dts, n);
                cts = Arrays.copyOf(cts, n);
            }
            track[count] = t;
            offset[count] = off;
            size[count] = sz;
            dts[count] = d;
            cts[count] = c;
            sync.set(count, key);
            count++;
        }

        void sortByTime(List<TrackState> tracks) {
            Integer[] idx = new Integer[count];
            long[] time = new long[count];
            for (int i = 0; i < count; i++) {
                idx[i] = i;
                time[i] = tracks.get(track[i]).micros(dts[i]);
            }
            // Stable: the samples of one track keep their order.
            Arrays.sort(idx, (a, b) -> Long.compare(time[a], time[b]));
            order = new int[count];
            for (int i = 0; i < count; i++) {
                order[i] = idx[i];
            }
        }

        void clear() {
            count = 0;
            next = 0;
            sync.clear();
            if (track.length > 4096) {
                track = new int[64];
                offset = new long[64];
                size = new int[64];
                dts = new long[64];
                cts = new int[64];
            }
        }
    }
}

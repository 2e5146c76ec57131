package io.livehub.mp4.internal;

import io.livehub.isobmff.BoxWriter;
import io.livehub.isobmff.ProgressiveTrack;
import io.livehub.isobmff.SampleTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a fragmented MP4 back (ISO/IEC 14496-12 §8.8): the tracks of its {@code moov} and the
 * samples of every complete {@code moof} + {@code mdat}, as the sample tables of a progressive
 * file and the byte ranges to copy into its {@code mdat}.
 *
 * <p>The file may end anywhere, as a killed recorder leaves it: the scan stops at the first box
 * that runs past the end of the file, or a {@code moof} whose samples do, and reports the
 * length of the complete part ({@link #validLength}). It reads the boxes this module writes and
 * the usual variants of other writers (explicit base data offsets, several {@code trun}s,
 * {@code trex} and {@code tfhd} defaults, version-0 {@code tfdt}).
 *
 * <p>Limits: a file on disk is no less hostile than the wire, since anything can sit in a
 * record root. Box sizes are checked against the file size before anything is read, the
 * {@code moov} is read only up to {@link #MAX_MOOV_BYTES} and a {@code moof} up to
 * {@link #MAX_MOOF_BYTES}; a run's sample count must fit its box.
 *
 * <p>Thread-safety: confined to the thread that scans.
 */
public final class FragmentedFile {

    /** Largest {@code moov} read: an init segment is a few kilobytes; 4 MiB leaves room for any sample entry. */
    public static final int MAX_MOOV_BYTES = 4 << 20;
    /**
     * Largest {@code moof} read: 16 bytes a sample, so 64 MiB is four million samples, far beyond
     * any fragment this module or a live packager cuts.
     */
    public static final int MAX_MOOF_BYTES = 64 << 20;
    /**
     * Most samples in a run whose {@code trun} lists no per-sample fields (every sample takes
     * the defaults, so the box size does not bound the count): a second of 48 kHz PCM-like
     * one-sample-per-tick audio, far more than any real run.
     */
    public static final int MAX_DEFAULT_RUN_SAMPLES = 1 << 16;
    /**
     * Most samples in a file: the tables keep about 17 bytes a sample, so this bounds them at
     * about 270 MB; a day of 30 fps video with 48 kHz AAC is 6.6 million samples.
     */
    public static final int MAX_SAMPLES = 16 << 20;

    private static final int FTYP = BoxWriter.fourCc("ftyp");
    private static final int MOOV = BoxWriter.fourCc("moov");
    private static final int MOOF = BoxWriter.fourCc("moof");
    private static final int MDAT = BoxWriter.fourCc("mdat");

    /** One track of the file. */
    public static final class TrackInfo {
        final int trackId;
        final boolean video;
        final int timescale;
        final int width;
        final int height;
        final byte[] stsd;
        long defaultDuration;
        int defaultSize;
        int defaultFlags;
        final SampleTable table = new SampleTable();
        long firstDecodeTime = -1;
        long lastSampleDuration;

        TrackInfo(int trackId, boolean video, int timescale, int width, int height, byte[] stsd) {
            this.trackId = trackId;
            this.video = video;
            this.timescale = timescale;
            this.width = width;
            this.height = height;
            this.stsd = stsd;
        }

        /** Returns the track as a progressive file describes it. */
        public ProgressiveTrack toProgressive() {
            return new ProgressiveTrack(trackId, video, timescale, width, height, stsd, table,
                    Math.max(0, firstDecodeTime));
        }

        /** Returns the decode time after the last sample, on the file's timeline, in seconds. */
        double endSeconds() {
            return firstDecodeTime < 0 ? 0 : (double) (firstDecodeTime + table.mediaDuration()) / timescale;
        }

        double startSeconds() {
            return firstDecodeTime < 0 ? Double.MAX_VALUE : toProgressive().presentationStartSeconds();
        }
    }

    private final List<TrackInfo> tracks = new ArrayList<>();
    private long[] chunkSources = new long[256];
    private long[] chunkLengths = new long[256];
    private int chunks;
    private long payloadLength;
    private long validLength;
    private boolean truncated;
    private int fragments;

    private FragmentedFile() {
    }

    /**
     * Scans {@code channel}, a fragmented MP4 of {@code size} bytes.
     *
     * @throws MalformedFileException when the file is not a fragmented MP4 this reader
     *     understands (no {@code moov} before the first {@code moof}, a box it cannot parse)
     * @throws IOException when reading fails
     */
    public static FragmentedFile scan(FileChannel channel, long size) throws IOException {
        FragmentedFile f = new FragmentedFile();
        f.read(channel, size);
        return f;
    }

    public List<TrackInfo> tracks() {
        return tracks;
    }

    /** Returns the tracks as a progressive file describes them. */
    public List<ProgressiveTrack> progressiveTracks() {
        List<ProgressiveTrack> out = new ArrayList<>(tracks.size());
        for (TrackInfo t : tracks) {
            out.add(t.toProgressive());
        }
        return out;
    }

    /** Returns the length of the file up to the end of its last complete fragment. */
    public long validLength() {
        return validLength;
    }

    /** Returns whether the file ended inside a box (a killed writer). */
    public boolean truncated() {
        return truncated;
    }

    /** Returns how many complete fragments were read. */
    public int fragments() {
        return fragments;
    }

    /** Returns how many byte ranges hold the samples, in the order a progressive file stores them. */
    public int chunkCount() {
        return chunks;
    }

    /** Returns where chunk {@code i} starts in the scanned file. */
    public long chunkSource(int i) {
        return chunkSources[i];
    }

    public long chunkLength(int i) {
        return chunkLengths[i];
    }

    /** Returns the sum of the chunk lengths: the {@code mdat} payload of a progressive file. */
    public long payloadLength() {
        return payloadLength;
    }

    /** Returns the presented duration: from the earliest track start to the latest track end. */
    public double durationSeconds() {
        double start = Double.MAX_VALUE;
        double end = 0;
        for (TrackInfo t : tracks) {
            if (t.table.sampleCount() > 0) {
                start = Math.min(start, t.startSeconds());
                end = Math.max(end, t.endSeconds());
            }
        }
        return start == Double.MAX_VALUE ? 0 : Math.max(0, end - start);
    }

    private void read(FileChannel ch, long size) throws IOException {
        readBoxes(ch, size);
        if (tracks.isEmpty()) {
            throw new MalformedFileException("no complete moov in " + size + " bytes");
        }
    }

    private void readBoxes(FileChannel ch, long size) throws IOException {
        long pos = 0;
        boolean haveMoov = false;
        ByteBuffer header = ByteBuffer.allocate(16);
        while (true) {
            validLength = pos;
            if (pos == size) {
                return;
            }
            if (size - pos < 8) {
                truncated = true;
                return;
            }
            header.clear().limit(8);
            readFully(ch, header, pos);
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            int type = header.getInt(4);
            int headerLength = 8;
            if (boxSize == 1) {
                if (size - pos < 16) {
                    truncated = true;
                    return;
                }
                header.clear().limit(8);
                readFully(ch, header, pos + 8);
                boxSize = header.getLong(0);
                headerLength = 16;
            } else if (boxSize == 0) {
                boxSize = size - pos; // "to the end of the file" (§4.2.2)
            }
            if (boxSize < headerLength) {
                throw new MalformedFileException("box " + BoxWriter.fourCcString(type) + " at " + pos + " has size " + boxSize);
            }
            if (boxSize > size - pos) {
                truncated = true;
                return;
            }
            if (type == MOOV) {
                if (haveMoov) {
                    throw new MalformedFileException("second moov at " + pos);
                }
                parseMoov(readBox(ch, pos + headerLength, boxSize - headerLength, MAX_MOOV_BYTES, "moov"));
                haveMoov = true;
            } else if (type == MOOF) {
                if (!haveMoov) {
                    throw new MalformedFileException("moof before moov at " + pos);
                }
                ByteBuffer moof = readBox(ch, pos + headerLength, boxSize - headerLength, MAX_MOOF_BYTES, "moof");
                if (!parseMoof(moof, pos, size)) {
                    truncated = true;
                    return; // its samples run past the end: the mdat was cut short
                }
                fragments++;
            } else if (type != FTYP && type != MDAT && pos == 0) {
                throw new MalformedFileException("not an MP4 file: first box is " + BoxWriter.fourCcString(type));
            }
            pos += boxSize;
        }
    }

    private static ByteBuffer readBox(FileChannel ch, long pos, long length, int max, String what) throws IOException {
        if (length > max) {
            throw new MalformedFileException(what + " of " + length + " bytes is over the limit of " + max);
        }
        ByteBuffer b = ByteBuffer.allocate((int) length);
        readFully(ch, b, pos);
        return b;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("file ended while reading at " + pos);
            }
            pos += n;
        }
        b.flip();
    }

    // ---- moov ----

    private void parseMoov(ByteBuffer moov) throws MalformedFileException {
        for (Box b : children(moov)) {
            if (b.type.equals("trak")) {
                parseTrak(b.payload);
            } else if (b.type.equals("mvex")) {
                for (Box trex : children(b.payload)) {
                    if (trex.type.equals("trex")) {
                        ByteBuffer p = trex.payload;
                        need(p, 24, "trex");
                        TrackInfo t = track(p.getInt(4));
                        if (t != null) {
                            t.defaultDuration = Integer.toUnsignedLong(p.getInt(12));
                            t.defaultSize = p.getInt(16);
                            t.defaultFlags = p.getInt(20);
                        }
                    }
                }
            }
        }
        if (tracks.isEmpty()) {
            throw new MalformedFileException("moov has no audio or video track");
        }
    }

    private void parseTrak(ByteBuffer trak) throws MalformedFileException {
        int trackId = -1;
        int width = 0;
        int height = 0;
        int timescale = -1;
        String handler = null;
        byte[] stsd = null;
        for (Box b : children(trak)) {
            if (b.type.equals("tkhd")) {
                ByteBuffer p = b.payload;
                boolean v1 = p.get(0) == 1;
                need(p, v1 ? 92 : 80, "tkhd");
                trackId = p.getInt(v1 ? 20 : 12);
                width = p.getInt(p.limit() - 8) >>> 16;
                height = p.getInt(p.limit() - 4) >>> 16;
            } else if (b.type.equals("mdia")) {
                for (Box m : children(b.payload)) {
                    if (m.type.equals("mdhd")) {
                        boolean v1 = m.payload.get(0) == 1;
                        need(m.payload, v1 ? 24 : 16, "mdhd");
                        timescale = m.payload.getInt(v1 ? 20 : 12);
                    } else if (m.type.equals("hdlr")) {
                        need(m.payload, 12, "hdlr");
                        handler = BoxWriter.fourCcString(m.payload.getInt(8));
                    } else if (m.type.equals("minf")) {
                        for (Box n : children(m.payload)) {
                            if (n.type.equals("stbl")) {
                                for (Box s : children(n.payload)) {
                                    if (s.type.equals("stsd")) {
                                        stsd = s.whole();
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if (!"vide".equals(handler) && !"soun".equals(handler)) {
            return; // a track this recorder does not write (text, hint): left out
        }
        if (trackId < 1 || timescale < 1 || stsd == null) {
            throw new MalformedFileException("trak without track_ID, timescale or stsd");
        }
        tracks.add(new TrackInfo(trackId, "vide".equals(handler), timescale, width, height, stsd));
    }

    private TrackInfo track(int trackId) {
        for (TrackInfo t : tracks) {
            if (t.trackId == trackId) {
                return t;
            }
        }
        return null;
    }

    // ---- moof ----

    /** A run of samples read from a trun, staged until the whole moof checks out. */
    private static final class Run {
        TrackInfo track;
        long decodeTime = -1;
        long dataStart;
        int count;
        int[] sizes;
        long[] durations;
        int[] offsets;
        boolean[] sync;
        long dataLength;
    }

    /**
     * Parses a {@code moof} at {@code moofStart}; adds its samples and returns true, or returns
     * false and adds nothing when a sample lies past {@code fileSize}.
     */
    private boolean parseMoof(ByteBuffer moof, long moofStart, long fileSize) throws MalformedFileException {
        List<Run> runs = new ArrayList<>();
        for (Box traf : children(moof)) {
            if (!traf.type.equals("traf")) {
                continue;
            }
            TrackInfo t = null;
            long base = moofStart;
            long defaultDuration = 0;
            int defaultSize = 0;
            int defaultFlags = 0;
            long decodeTime = -1;
            long nextData = -1;
            for (Box b : children(traf.payload)) {
                ByteBuffer p = b.payload;
                switch (b.type) {
                    case "tfhd": {
                        need(p, 8, "tfhd");
                        int flags = p.getInt(0) & 0xFF_FFFF;
                        t = track(p.getInt(4));
                        if (t == null) {
                            break;
                        }
                        defaultDuration = t.defaultDuration;
                        defaultSize = t.defaultSize;
                        defaultFlags = t.defaultFlags;
                        int i = 8;
                        if ((flags & 0x01) != 0) {
                            need(p, i + 8, "tfhd");
                            base = p.getLong(i);
                            i += 8;
                        }
                        if ((flags & 0x02) != 0) {
                            i += 4; // sample_description_index: these files have one entry
                        }
                        if ((flags & 0x08) != 0) {
                            need(p, i + 4, "tfhd");
                            defaultDuration = Integer.toUnsignedLong(p.getInt(i));
                            i += 4;
                        }
                        if ((flags & 0x10) != 0) {
                            need(p, i + 4, "tfhd");
                            defaultSize = p.getInt(i);
                            i += 4;
                        }
                        if ((flags & 0x20) != 0) {
                            need(p, i + 4, "tfhd");
                            defaultFlags = p.getInt(i);
                        }
                        break;
                    }
                    case "tfdt": {
                        need(p, 8, "tfdt");
                        boolean v1 = p.get(0) == 1;
                        if (v1) {
                            need(p, 12, "tfdt");
                        }
                        decodeTime = v1 ? p.getLong(4) : Integer.toUnsignedLong(p.getInt(4));
                        break;
                    }
                    case "trun": {
                        if (t == null) {
                            break;
                        }
                        Run r = parseTrun(p, t, base, nextData, defaultDuration, defaultSize, defaultFlags);
                        r.decodeTime = runs.stream().anyMatch(x -> x.track == r.track) ? -1 : decodeTime;
                        nextData = r.dataStart + r.dataLength;
                        if (r.dataStart < 0 || r.dataStart + r.dataLength > fileSize) {
                            return false;
                        }
                        runs.add(r);
                        break;
                    }
                    default:
                        break;
                }
            }
        }
        long total = 0;
        for (Run r : runs) {
            total += r.count;
        }
        for (TrackInfo t : tracks) {
            total += t.table.sampleCount();
        }
        if (total > MAX_SAMPLES) {
            throw new MalformedFileException("more than " + MAX_SAMPLES + " samples");
        }
        for (Run r : runs) {
            add(r);
        }
        return true;
    }

    private static Run parseTrun(ByteBuffer p, TrackInfo t, long base, long nextData, long defaultDuration,
            int defaultSize, int defaultFlags) throws MalformedFileException {
        need(p, 8, "trun");
        int version = p.get(0) & 0xFF;
        int flags = p.getInt(0) & 0xFF_FFFF;
        long count = Integer.toUnsignedLong(p.getInt(4));
        int i = 8;
        long dataStart = nextData >= 0 ? nextData : base;
        if ((flags & 0x001) != 0) {
            need(p, i + 4, "trun");
            dataStart = base + p.getInt(i);
            i += 4;
        }
        int firstFlags = -1;
        if ((flags & 0x004) != 0) {
            need(p, i + 4, "trun");
            firstFlags = p.getInt(i);
            i += 4;
        }
        int perSample = Integer.bitCount(flags & 0xF00) * 4;
        // A run cannot list more samples than its box has room for; with no per-sample fields
        // every sample takes the defaults, so the count is bounded by the moof limit instead.
        long maxCount = perSample == 0 ? MAX_DEFAULT_RUN_SAMPLES : (p.limit() - i) / perSample;
        if (count > maxCount) {
            throw new MalformedFileException("trun lists " + count + " samples, room for " + maxCount);
        }
        Run r = new Run();
        r.track = t;
        r.dataStart = dataStart;
        r.count = (int) count;
        r.sizes = new int[r.count];
        r.durations = new long[r.count];
        r.offsets = new int[r.count];
        r.sync = new boolean[r.count];
        long length = 0;
        for (int k = 0; k < r.count; k++) {
            long duration = defaultDuration;
            int size = defaultSize;
            int sampleFlags = k == 0 && firstFlags != -1 ? firstFlags : defaultFlags;
            int cto = 0;
            if ((flags & 0x100) != 0) {
                duration = Integer.toUnsignedLong(p.getInt(i));
                i += 4;
            }
            if ((flags & 0x200) != 0) {
                size = p.getInt(i);
                i += 4;
            }
            if ((flags & 0x400) != 0) {
                int f = p.getInt(i);
                i += 4;
                if (!(k == 0 && firstFlags != -1)) {
                    sampleFlags = f;
                }
            }
            if ((flags & 0x800) != 0) {
                cto = p.getInt(i);
                i += 4;
                if (version == 0 && cto < 0) {
                    throw new MalformedFileException("unsigned composition offset out of range: " + Integer.toUnsignedLong(cto));
                }
            }
            if (size < 0) {
                throw new MalformedFileException("sample size out of range: " + Integer.toUnsignedLong(size));
            }
            r.sizes[k] = size;
            r.durations[k] = duration;
            r.offsets[k] = cto;
            // sample_is_non_sync_sample (§8.8.3.1); audio tracks are all sync whatever they say
            r.sync[k] = !t.video || (sampleFlags & 0x0001_0000) == 0;
            length += size;
        }
        r.dataLength = length;
        return r;
    }

    private void add(Run r) {
        if (r.count == 0) {
            return;
        }
        TrackInfo t = r.track;
        SampleTable table = t.table;
        if (r.decodeTime >= 0) {
            if (t.firstDecodeTime < 0) {
                t.firstDecodeTime = r.decodeTime;
            } else {
                // A gap (frames the recorder dropped) lengthens the last sample before it, so
                // every later sample keeps its time.
                long expected = t.firstDecodeTime + table.mediaDuration();
                if (r.decodeTime > expected && table.sampleCount() > 0) {
                    table.setLastDuration(Math.min(0xFFFF_FFFFL, t.lastSampleDuration + r.decodeTime - expected));
                }
            }
        } else if (t.firstDecodeTime < 0) {
            t.firstDecodeTime = 0;
        }
        if (chunks == chunkSources.length) {
            chunkSources = Arrays.copyOf(chunkSources, chunks * 2);
            chunkLengths = Arrays.copyOf(chunkLengths, chunks * 2);
        }
        chunkSources[chunks] = r.dataStart;
        chunkLengths[chunks] = r.dataLength;
        chunks++;
        table.startChunk(payloadLength);
        payloadLength += r.dataLength;
        for (int k = 0; k < r.count; k++) {
            table.add(r.sizes[k], r.durations[k], r.offsets[k], r.sync[k]);
        }
        t.lastSampleDuration = r.durations[r.count - 1];
    }

    // ---- boxes ----

    /** A child box: its type and a buffer of its payload. */
    private record Box(String type, ByteBuffer payload, ByteBuffer parent, int start, int end) {
        byte[] whole() {
            byte[] b = new byte[end - start];
            parent.get(start, b);
            return b;
        }
    }

    private static List<Box> children(ByteBuffer b) throws MalformedFileException {
        List<Box> out = new ArrayList<>();
        int pos = 0;
        int limit = b.limit();
        while (pos < limit) {
            if (limit - pos < 8) {
                throw new MalformedFileException("box header cut short");
            }
            long size = Integer.toUnsignedLong(b.getInt(pos));
            int headerLength = 8;
            if (size == 1) {
                if (limit - pos < 16) {
                    throw new MalformedFileException("box header cut short");
                }
                size = b.getLong(pos + 8);
                headerLength = 16;
            } else if (size == 0) {
                size = limit - pos;
            }
            if (size < headerLength || size > limit - pos) {
                throw new MalformedFileException("box " + BoxWriter.fourCcString(b.getInt(pos + 4)) + " of size " + size
                        + " does not fit its parent");
            }
            String type = BoxWriter.fourCcString(b.getInt(pos + 4));
            ByteBuffer payload = b.slice(pos + headerLength, (int) size - headerLength);
            out.add(new Box(type, payload, b, pos, pos + (int) size));
            pos += (int) size;
        }
        return out;
    }

    private static void need(ByteBuffer p, int length, String box) throws MalformedFileException {
        if (p.limit() < length) {
            throw new MalformedFileException(box + " of " + p.limit() + " bytes is too short");
        }
    }
}

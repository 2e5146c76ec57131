package io.livehub.virtual.mp4;

import io.livehub.media.MalformedMediaException;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * One track's samples as compact primitive arrays (25 bytes per sample): file offset, size,
 * decode time, composition offset and sync flag, built from the sample table boxes of a
 * progressive file (ISO/IEC 14496-12, 8.6 and 8.7: stts, ctts, stsc, stsz/stz2, stco/co64,
 * stss) or from the track runs of one movie fragment (8.8.8).
 *
 * <p>Thread-safety: immutable once built.
 */
final class SampleTable {

    final int count;
    final long[] offset;
    final int[] size;
    final long[] dts;
    final int[] cts;
    /** Sync samples; null when every sample is one (no stss). */
    final BitSet sync;
    /** Duration of the last sample, in the track's timescale. */
    final long lastDuration;

    SampleTable(int count, long[] offset, int[] size, long[] dts, int[] cts, BitSet sync, long lastDuration) {
        this.count = count;
        this.offset = offset;
        this.size = size;
        this.dts = dts;
        this.cts = cts;
        this.sync = sync;
        this.lastDuration = lastDuration;
    }

    static final SampleTable EMPTY = new SampleTable(0, new long[0], new int[0], new long[0], new int[0], null, 0);

    boolean isSync(int i) {
        return sync == null || sync.get(i);
    }

    /** The table boxes of one stbl; each may be null when absent. */
    static final class Boxes {
        BoxHeader stts;
        BoxHeader ctts;
        BoxHeader stsc;
        BoxHeader stsz;
        BoxHeader stz2;
        BoxHeader stco;
        BoxHeader co64;
        BoxHeader stss;
    }

    /**
     * Builds the table of a progressive track.
     *
     * @throws MalformedMediaException when a table is missing, inconsistent with the others,
     *     breaks a limit or points outside the file
     */
    static SampleTable read(RandomAccessInput in, Boxes b, Mp4Limits limits, String what) throws IOException {
        if (b.stsz == null && b.stz2 == null) {
            return EMPTY;
        }
        long fileSize = in.size();
        int[] size = sizes(in, b, limits, fileSize, what);
        int n = size.length;
        if (n == 0) {
            return EMPTY;
        }
        if (b.stts == null || b.stsc == null || (b.stco == null && b.co64 == null)) {
            throw new MalformedMediaException(what + ": sample table without stts, stsc or stco");
        }
        long[] dts = new long[n];
        long lastDuration = decodeTimes(in, b.stts, dts, what);
        int[] cts = new int[n];
        if (b.ctts != null) {
            compositionOffsets(in, b.ctts, cts, what);
        }
        long[] offset = offsets(in, b, size, fileSize, what);
        BitSet sync = null;
        if (b.stss != null) {
            sync = new BitSet(n);
            TableCursor c = new TableCursor(in, b.stss, what + " stss");
            long entries = c.entryCount(4);
            for (long i = 0; i < entries; i++) {
                long s = c.u32();
                if (s >= 1 && s <= n) {
                    sync.set((int) (s - 1));
                }
            }
        }
        return new SampleTable(n, offset, size, dts, cts, sync, lastDuration);
    }

    private static int[] sizes(RandomAccessInput in, Boxes b, Mp4Limits limits, long fileSize, String what)
            throws IOException {
        if (b.stsz != null) {
            TableCursor c = new TableCursor(in, b.stsz, what + " stsz");
            c.u32(); // version, flags
            long fixed = c.u32();
            long n = c.u32();
            checkCount(n, limits, what);
            if (fixed != 0 && n * fixed > fileSize) {
                // A fixed size lets a few bytes claim millions of samples; they must fit the file.
                throw new MalformedMediaException(what + " stsz claims " + n + " samples of " + fixed
                        + " bytes, more than the file holds");
            }
            if (fixed == 0 && n * 4 > c.remaining()) {
                throw new MalformedMediaException(what + " stsz claims " + n + " sizes but holds " + c.remaining()
                        + " bytes");
            }
            int[] size = new int[(int) n];
            for (int i = 0; i < n; i++) {
                size[i] = checkSize(fixed != 0 ? fixed : c.u32(), limits, what, i);
            }
            return size;
        }
        TableCursor c = new TableCursor(in, b.stz2, what + " stz2");
        c.u32(); // version, flags
        int field = (int) (c.u32() & 0xFF); // 24 reserved bits, then field_size (8.7.3.3)
        long n = c.u32();
        checkCount(n, limits, what);
        if (field != 4 && field != 8 && field != 16) {
            throw new MalformedMediaException(what + " stz2 field size " + field + " is not 4, 8 or 16");
        }
        if ((n * field + 7) / 8 > c.remaining()) {
            throw new MalformedMediaException(what + " stz2 claims " + n + " sizes but holds " + c.remaining()
                    + " bytes");
        }
        int[] size = new int[(int) n];
        for (int i = 0; i < n; i++) {
            int v;
            if (field == 16) {
                v = c.u16();
            } else if (field == 8) {
                v = c.u8();
            } else {
                int pair = c.u8();
                v = pair >>> 4;
                if (i + 1 < n) {
                    size[i++] = v;
                    v = pair & 0x0F;
                }
            }
            size[i] = checkSize(v, limits, what, i);
        }
        return size;
    }

    private static void checkCount(long n, Mp4Limits limits, String what) {
        if (n > limits.maxSamples()) {
            throw new MalformedMediaException(what + " has " + n + " samples, more than the limit of "
                    + limits.maxSamples());
        }
    }

    static int checkSize(long s, Mp4Limits limits, String what, int index) {
        if (s > limits.maxSampleSize()) {
            throw new MalformedMediaException(what + ": sample " + index + " of " + s
                    + " bytes is larger than the limit of " + limits.maxSampleSize());
        }
        return (int) s;
    }

    private static long decodeTimes(RandomAccessInput in, BoxHeader stts, long[] dts, String what) throws IOException {
        TableCursor c = new TableCursor(in, stts, what + " stts");
        long entries = c.entryCount(8);
        int i = 0;
        long t = 0;
        long delta = 0;
        for (long e = 0; e < entries && i < dts.length; e++) {
            long count = c.u32();
            delta = c.u32();
            for (long k = 0; k < count && i < dts.length; k++) {
                dts[i++] = t;
                t += delta;
            }
        }
        if (i < dts.length) {
            throw new MalformedMediaException(what + ": stts covers " + i + " of " + dts.length + " samples");
        }
        return delta;
    }

    private static void compositionOffsets(RandomAccessInput in, BoxHeader ctts, int[] cts, String what)
            throws IOException {
        TableCursor c = new TableCursor(in, ctts, what + " ctts");
        // Version 0 offsets are unsigned in the text but written signed by some muxers; version 1
        // offsets are signed (8.6.1.3). Reading both as signed 32-bit covers every real file.
        long entries = c.entryCount(8);
        int i = 0;
        for (long e = 0; e < entries && i < cts.length; e++) {
            long count = c.u32();
            int off = c.s32();
            for (long k = 0; k < count && i < cts.length; k++) {
                cts[i++] = off;
            }
        }
    }

    private static long[] offsets(RandomAccessInput in, Boxes b, int[] size, long fileSize, String what)
            throws IOException {
        int n = size.length;
        boolean wide = b.co64 != null;
        TableCursor chunks = new TableCursor(in, wide ? b.co64 : b.stco, what + (wide ? " co64" : " stco"));
        long chunkCount = chunks.entryCount(wide ? 8 : 4);
        TableCursor stsc = new TableCursor(in, b.stsc, what + " stsc");
        long stscEntries = stsc.entryCount(12);
        if (stscEntries == 0) {
            throw new MalformedMediaException(what + ": empty stsc");
        }
        long[] offset = new long[n];
        long firstChunk = stsc.u32();
        long perChunk = stsc.u32();
        stsc.u32(); // sample_description_index: one description is played
        long read = 1;
        long nextFirst = read < stscEntries ? stsc.u32() : Long.MAX_VALUE;
        long nextPer = 0;
        if (read < stscEntries) {
            nextPer = stsc.u32();
            stsc.u32();
        }
        if (firstChunk != 1) {
            throw new MalformedMediaException(what + ": stsc does not start at chunk 1");
        }
        int s = 0;
        for (long chunk = 1; chunk <= chunkCount && s < n; chunk++) {
            while (chunk >= nextFirst) {
                if (nextFirst <= firstChunk) {
                    throw new MalformedMediaException(what + ": stsc chunks do not increase");
                }
                firstChunk = nextFirst;
                perChunk = nextPer;
                read++;
                if (read < stscEntries) {
                    nextFirst = stsc.u32();
                    nextPer = stsc.u32();
                    stsc.u32();
                } else {
                    nextFirst = Long.MAX_VALUE;
                }
            }
            long pos = wide ? chunks.s64() : chunks.u32();
            for (long k = 0; k < perChunk && s < n; k++) {
                if (pos < 0 || pos + size[s] > fileSize) {
                    throw new MalformedMediaException(what + ": sample " + s + " at " + pos + " (" + size[s]
                            + " bytes) lies beyond the end of the file (" + fileSize + ")");
                }
                offset[s++] = pos;
                pos += size[s - 1];
            }
        }
        if (s < n) {
            throw new MalformedMediaException(what + ": chunks hold " + s + " of " + n + " samples");
        }
        return offset;
    }

    /** Returns a copy holding the first {@code n} samples, for tables built with spare room. */
    static SampleTable trimmed(int n, long[] offset, int[] size, long[] dts, int[] cts, BitSet sync,
                               long lastDuration) {
        return new SampleTable(n, Arrays.copyOf(offset, n), Arrays.copyOf(size, n), Arrays.copyOf(dts, n),
                Arrays.copyOf(cts, n), sync, lastDuration);
    }
}

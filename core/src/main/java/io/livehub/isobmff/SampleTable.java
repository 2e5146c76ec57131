package io.livehub.isobmff;

import java.util.Arrays;

/**
 * Collects one track's samples and chunks for the sample tables of a progressive file's
 * {@code stbl} (ISO/IEC 14496-12 §8.5 to §8.7): durations ({@code stts}), composition offsets
 * ({@code ctts}), sync samples ({@code stss}), sizes ({@code stsz}), samples per chunk
 * ({@code stsc}) and chunk offsets ({@code stco}, or {@code co64} when an offset needs 64 bits).
 *
 * <p>A chunk is a run of samples stored back to back; {@link #startChunk} opens one at an offset
 * counted from the first byte of the {@code mdat} payload, and {@link #add} appends a sample to
 * the open chunk. The table keeps about 17 bytes per sample in primitive arrays (a day of 30 fps
 * video and 48 kHz AAC is about 7 million samples, 120 MB), and writes its boxes run-length
 * coded where the format allows.
 *
 * <p>Thread-safety: not thread-safe.
 */
public final class SampleTable {

    private int[] sizes = new int[1024];
    private int[] durations = new int[1024];
    private int[] offsets = new int[1024];
    private boolean[] sync = new boolean[1024];
    private int count;
    private long[] chunkOffsets = new long[64];
    private int[] chunkFirstSample = new int[64];
    private int chunks;
    private long decodeTime;
    private long minCompositionTime = Long.MAX_VALUE;
    private long maxCompositionEnd;
    private boolean anyOffset;
    private boolean anyNegativeOffset;
    private boolean allSync = true;

    /** Opens a chunk at {@code offset} bytes from the start of the {@code mdat} payload. */
    public void startChunk(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative chunk offset: " + offset);
        }
        if (chunks == chunkOffsets.length) {
            chunkOffsets = Arrays.copyOf(chunkOffsets, chunks * 2);
            chunkFirstSample = Arrays.copyOf(chunkFirstSample, chunks * 2);
        }
        chunkOffsets[chunks] = offset;
        chunkFirstSample[chunks] = count;
        chunks++;
    }

    /**
     * Appends a sample to the open chunk.
     *
     * @param duration the sample's duration in the media timescale, 32 bits unsigned (§8.6.1.2)
     * @param compositionOffset {@code pts - dts} in the media timescale
     * @throws IllegalStateException when no chunk is open
     */
    public void add(int size, long duration, int compositionOffset, boolean isSync) {
        if (chunks == 0) {
            throw new IllegalStateException("no chunk open");
        }
        if (duration < 0 || duration > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sample duration is 32 bits unsigned: " + duration);
        }
        if (count == sizes.length) {
            int n = count * 2;
            sizes = Arrays.copyOf(sizes, n);
            durations = Arrays.copyOf(durations, n);
            offsets = Arrays.copyOf(offsets, n);
            sync = Arrays.copyOf(sync, n);
        }
        sizes[count] = size;
        durations[count] = (int) duration;
        offsets[count] = compositionOffset;
        sync[count] = isSync;
        count++;
        minCompositionTime = Math.min(minCompositionTime, decodeTime + compositionOffset);
        decodeTime += duration;
        maxCompositionEnd = Math.max(maxCompositionEnd, decodeTime + compositionOffset);
        anyOffset |= compositionOffset != 0;
        anyNegativeOffset |= compositionOffset < 0;
        allSync &= isSync;
    }

    /**
     * Sets the duration of the last sample, for example when the next fragment's decode time
     * says the track had a gap. Does nothing when the table is empty.
     */
    public void setLastDuration(long duration) {
        if (count == 0) {
            return;
        }
        if (duration < 0 || duration > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sample duration is 32 bits unsigned: " + duration);
        }
        long old = Integer.toUnsignedLong(durations[count - 1]);
        durations[count - 1] = (int) duration;
        decodeTime += duration - old;
        maxCompositionEnd = Math.max(maxCompositionEnd, decodeTime + offsets[count - 1]);
    }

    /** Returns how many samples were added. */
    public int sampleCount() {
        return count;
    }

    /** Returns how many chunks were opened. */
    public int chunkCount() {
        return chunks;
    }

    /** Returns the sum of the sample durations: the media duration, in the media timescale. */
    public long mediaDuration() {
        return decodeTime;
    }

    /**
     * Returns the earliest composition time of any sample, counted from the first sample's decode
     * time, in the media timescale; 0 when empty. An edit list starts the presentation there.
     */
    public long minCompositionTime() {
        return count == 0 ? 0 : minCompositionTime;
    }

    /**
     * Returns how long the track is presented: from its earliest composition time to the latest
     * composition time plus duration of any sample, in the media timescale. With B-frames this
     * is longer than {@link #mediaDuration()} by the last frames' composition offsets, and an
     * edit shorter than it would cut them off.
     */
    public long presentationDuration() {
        return count == 0 ? 0 : maxCompositionEnd - minCompositionTime;
    }

    /** Returns the largest chunk offset, 0 when there is none. */
    public long maxChunkOffset() {
        long max = 0;
        for (int i = 0; i < chunks; i++) {
            max = Math.max(max, chunkOffsets[i]);
        }
        return max;
    }

    /**
     * Writes {@code stts}, {@code ctts} (when a sample has a composition offset; version 1 when
     * one is negative), {@code stss} (when a sample is not a sync sample), {@code stsz},
     * {@code stsc} and {@code stco} or {@code co64}. Each chunk offset is written as
     * {@code offsetBase} plus the offset given to {@link #startChunk}: the file position of the
     * {@code mdat} payload.
     */
    public void write(BoxWriter w, long offsetBase, boolean co64) {
        writeStts(w);
        if (anyOffset) {
            writeCtts(w);
        }
        if (!allSync) {
            writeStss(w);
        }
        writeStsz(w);
        writeStsc(w);
        writeChunkOffsets(w, offsetBase, co64);
    }

    /** §8.6.1.2: runs of equal durations. */
    private void writeStts(BoxWriter w) {
        w.beginFull("stts", 0, 0);
        int countIndex = w.buffer().writerIndex();
        w.u32(0);
        int entries = 0;
        for (int i = 0; i < count; ) {
            int j = i + 1;
            while (j < count && durations[j] == durations[i]) {
                j++;
            }
            w.u32(j - i).u32(Integer.toUnsignedLong(durations[i]));
            entries++;
            i = j;
        }
        w.buffer().setInt(countIndex, entries);
        w.end();
    }

    /** §8.6.1.3: runs of equal composition offsets; version 1 reads them as signed. */
    private void writeCtts(BoxWriter w) {
        w.beginFull("ctts", anyNegativeOffset ? 1 : 0, 0);
        int countIndex = w.buffer().writerIndex();
        w.u32(0);
        int entries = 0;
        for (int i = 0; i < count; ) {
            int j = i + 1;
            while (j < count && offsets[j] == offsets[i]) {
                j++;
            }
            w.u32(j - i).u32(offsets[i]);
            entries++;
            i = j;
        }
        w.buffer().setInt(countIndex, entries);
        w.end();
    }

    /** §8.6.2: the 1-based numbers of the sync samples. */
    private void writeStss(BoxWriter w) {
        w.beginFull("stss", 0, 0);
        int countIndex = w.buffer().writerIndex();
        w.u32(0);
        int entries = 0;
        for (int i = 0; i < count; i++) {
            if (sync[i]) {
                w.u32(i + 1);
                entries++;
            }
        }
        w.buffer().setInt(countIndex, entries);
        w.end();
    }

    /** §8.7.3.2: one size for all samples when they agree, else one per sample. */
    private void writeStsz(BoxWriter w) {
        boolean same = count > 0;
        for (int i = 1; i < count && same; i++) {
            same = sizes[i] == sizes[0];
        }
        w.beginFull("stsz", 0, 0);
        if (same) {
            w.u32(sizes[0]).u32(count);
        } else {
            w.u32(0).u32(count);
            for (int i = 0; i < count; i++) {
                w.u32(sizes[i]);
            }
        }
        w.end();
    }

    /** §8.7.4: one entry per run of chunks with the same number of samples; chunks are 1-based. */
    private void writeStsc(BoxWriter w) {
        w.beginFull("stsc", 0, 0);
        int countIndex = w.buffer().writerIndex();
        w.u32(0);
        int entries = 0;
        int previous = -1;
        int number = 0;
        for (int c = 0; c < chunks; c++) {
            int n = samplesInChunk(c);
            if (n == 0) {
                continue; // an empty chunk cannot be listed; writeChunkOffsets skips it too
            }
            number++;
            if (n != previous) {
                w.u32(number).u32(n).u32(1); // first_chunk, samples_per_chunk, sample_description_index
                entries++;
                previous = n;
            }
        }
        w.buffer().setInt(countIndex, entries);
        w.end();
    }

    /** §8.7.5: {@code stco} with 32-bit offsets or {@code co64} with 64-bit offsets. */
    private void writeChunkOffsets(BoxWriter w, long offsetBase, boolean co64) {
        w.beginFull(co64 ? "co64" : "stco", 0, 0);
        int countIndex = w.buffer().writerIndex();
        w.u32(0);
        int entries = 0;
        for (int c = 0; c < chunks; c++) {
            if (samplesInChunk(c) == 0) {
                continue;
            }
            long offset = offsetBase + chunkOffsets[c];
            if (co64) {
                w.u64(offset);
            } else {
                if (offset > 0xFFFF_FFFFL) {
                    throw new IllegalStateException("chunk offset " + offset + " needs co64");
                }
                w.u32(offset);
            }
            entries++;
        }
        w.buffer().setInt(countIndex, entries);
        w.end();
    }

    private int samplesInChunk(int c) {
        int end = c + 1 < chunks ? chunkFirstSample[c + 1] : count;
        return end - chunkFirstSample[c];
    }
}

package io.livehub.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * Joins the encoded forms of the frames one subscriber receives in a drain into one buffer,
 * and hands the same buffer to every other subscriber of the thread that receives the same
 * frames in the same drain pass (ARCHITECTURE.md section 3, points 4 and 5).
 *
 * <p>With a merged-write window a player gets several frames per drain. Written one by one,
 * each frame costs every player an outbound-buffer entry, a derived buffer, an I/O vector
 * slot and a release; joined, a player costs one write per drain whatever the frame count.
 * The players of a stream that keep up all receive the frames published since the last pass,
 * so the first of them builds the joined buffer (one copy of a few kilobytes per pass and
 * thread) and the others match it frame by frame, by identity, and share it. A player that
 * differs (one just joined and replaying the GOP, one that dropped frames) matches a prefix
 * or builds a buffer of its own; the last {@value #ENTRIES} buffers are kept, so players that
 * alternate do not rebuild each other's.
 *
 * <p>Use: in a drain, call {@link #add} for each frame and {@link #take} to get what to
 * write; the hub's drainer calls {@link #endPass()} when a pass over the thread's
 * subscribers ends, which releases the kept buffers, so nothing outlives a pass.
 *
 * <p>Ownership: frames are borrowed for the duration of {@link #add} (their bytes are copied
 * or matched at once); the buffer {@link #take} returns belongs to the caller.
 *
 * <p>Thread-safety: one instance per thread ({@link #current()}); not thread-safe.
 */
public final class EgressGatherer {

    /** Joined buffers kept per thread for the current pass. */
    static final int ENTRIES = 4;
    /** Frames a joined buffer holds at most; more are split into several buffers. */
    static final int MAX_FRAMES = 256;
    /** Bytes a joined buffer holds at most (a single larger frame is taken whole). */
    static final int MAX_BYTES = 256 * 1024;

    private static final FastThreadLocal<EgressGatherer> CURRENT = new FastThreadLocal<>() {
        @Override
        protected EgressGatherer initialValue() {
            return new EgressGatherer();
        }

        @Override
        protected void onRemoval(EgressGatherer value) {
            value.clear();
        }
    };

    private final Entry[] entries = new Entry[ENTRIES];
    private int nextVictim;
    private boolean used;

    // The gathering in progress: whose, in which form, and how far.
    private Object owner;
    private EgressForm form;
    private int count;
    /** The kept buffer whose first {@code count} frames are this gathering's, or null. */
    private Entry match;
    /** The buffer being built when nothing kept matches, or null. */
    private Entry building;
    private Entry spare;

    EgressGatherer() {
        for (int i = 0; i < ENTRIES; i++) {
            entries[i] = new Entry();
        }
        spare = new Entry();
    }

    /** Returns this thread's gatherer. */
    public static EgressGatherer current() {
        return CURRENT.get();
    }

    /**
     * Ends a drain pass on this thread: releases the kept buffers and forgets any gathering
     * that was not taken. Cheap when the thread gathered nothing.
     */
    public static void endPass() {
        if (CURRENT.isSet()) {
            EgressGatherer g = CURRENT.get();
            if (g.used) {
                g.clear();
            }
        }
    }

    /**
     * Adds {@code frame} to what {@code owner} gathers in {@code form}. A gathering of another
     * owner or form that was not taken is dropped first.
     *
     * @return false when the joined buffer is full: {@link #take} and write it, then add again
     */
    public boolean add(Object owner, EgressForm form, MediaFrame frame, ByteBufAllocator alloc) {
        used = true;
        if (owner != this.owner || form != this.form) {
            forget();
            this.owner = owner;
            this.form = form;
        }
        if (building == null) {
            if (count == 0) {
                match = find(form, frame);
            } else if (match != null && (count == match.count || match.frames[count] != frame)) {
                match = findLonger(match, frame);
            }
            if (match != null && count < match.count && match.frames[count] == frame) {
                count++;
                return true;
            }
            startBuilding(alloc);
        }
        ByteBuf run = frame.encoded(form, alloc);
        ByteBuf bytes = building.bytes;
        if (count > 0 && (count == MAX_FRAMES || bytes.readableBytes() + run.readableBytes() > MAX_BYTES)) {
            return false;
        }
        bytes.writeBytes(run, run.readerIndex(), run.readableBytes());
        building.frames[count] = frame;
        building.ends[count] = bytes.writerIndex();
        count++;
        building.count = count;
        return true;
    }

    /**
     * Returns the joined bytes of what {@code owner} gathered since its last take, or null when
     * it gathered nothing. Ownership: the caller owns the returned buffer.
     */
    public ByteBuf take(Object owner) {
        if (owner != this.owner || count == 0) {
            forget();
            return null;
        }
        ByteBuf out;
        if (building != null) {
            Entry victim = entries[nextVictim];
            entries[nextVictim] = building;
            nextVictim = (nextVictim + 1) % ENTRIES;
            victim.reset();
            spare = victim;
            out = building.bytes.retainedDuplicate();
            building = null;
        } else if (count == match.count) {
            out = match.bytes.retainedDuplicate();
        } else {
            out = match.bytes.retainedSlice(0, match.ends[count - 1]);
        }
        count = 0;
        match = null;
        owner = null;
        form = null;
        return out;
    }

    private Entry find(EgressForm form, MediaFrame first) {
        for (Entry e : entries) {
            if (e.count > 0 && e.form == form && e.frames[0] == first) {
                return e;
            }
        }
        return null;
    }

    /**
     * Returns a kept buffer that starts with the frames {@code current} matched so far and
     * goes on with {@code next}, else {@code current} (whose matched prefix is then copied).
     */
    private Entry findLonger(Entry current, MediaFrame next) {
        for (Entry e : entries) {
            if (e != current && e.form == form && e.count > count && e.frames[count] == next
                    && samePrefix(e, current, count)) {
                return e;
            }
        }
        return current;
    }

    private static boolean samePrefix(Entry a, Entry b, int n) {
        for (int i = 0; i < n; i++) {
            if (a.frames[i] != b.frames[i]) {
                return false;
            }
        }
        return true;
    }

    /** Starts a buffer of its own for the gathering, with the frames matched so far. */
    private void startBuilding(ByteBufAllocator alloc) {
        Entry b = spare;
        spare = null;
        int prefix = count > 0 ? match.ends[count - 1] : 0;
        b.form = form;
        b.bytes = alloc.ioBuffer(Math.max(prefix + 4096, 8192));
        if (count > 0) {
            b.bytes.writeBytes(match.bytes, 0, prefix);
            System.arraycopy(match.frames, 0, b.frames, 0, count);
            System.arraycopy(match.ends, 0, b.ends, 0, count);
        }
        b.count = count;
        building = b;
        match = null;
    }

    /** Drops a gathering that was not taken. */
    private void forget() {
        if (building != null) {
            building.reset();
            spare = building;
            building = null;
        }
        count = 0;
        match = null;
        owner = null;
        form = null;
    }

    /** Releases the kept buffers and drops any gathering in progress. */
    void clear() {
        forget();
        for (Entry e : entries) {
            e.reset();
        }
        used = false;
    }

    /** A joined buffer and the frames it holds, in order, with each frame's end offset. */
    private static final class Entry {
        final MediaFrame[] frames = new MediaFrame[MAX_FRAMES];
        final int[] ends = new int[MAX_FRAMES];
        int count;
        EgressForm form;
        ByteBuf bytes;

        void reset() {
            if (bytes != null) {
                bytes.release();
                bytes = null;
            }
            Arrays.fill(frames, 0, count, null);
            count = 0;
            form = null;
        }
    }
}

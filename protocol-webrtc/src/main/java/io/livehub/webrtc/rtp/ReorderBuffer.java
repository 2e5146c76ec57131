package io.livehub.webrtc.rtp;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts one SSRC's received packets back in sequence-number order and waits a little for a
 * missing one (reordered, or retransmitted after a NACK) before giving up on it, so that
 * a depacketizer downstream sees a gap only for a packet that is really lost.
 *
 * <p>Limits: at most {@code capacity} packets are held (a power of two); a packet further
 * ahead than that makes the buffer give up on what is missing and deliver what it holds. A
 * gap is waited for at most {@code maxDelayNanos}.
 *
 * <p>Thread-safety: not thread-safe; used on the receiving session's executor.
 *
 * @param <T> the packet type
 */
public final class ReorderBuffer<T> {

    /** Receives packets in order; a skipped sequence number shows as a gap between calls. */
    @FunctionalInterface
    public interface Sink<T> {
        void deliver(int seq, T packet);
    }

    private final Object[] slots;
    private final long[] arrivals;
    private final int mask;
    private final long maxDelayNanos;
    private final Sink<T> sink;
    private boolean started;
    private int next;
    private int held;
    private int highest;
    private int nackedUpTo;
    private long skipped;

    public ReorderBuffer(int capacity, long maxDelayNanos, Sink<T> sink) {
        if (Integer.bitCount(capacity) != 1 || capacity > 0x8000) {
            throw new IllegalArgumentException("capacity must be a power of two up to 32768: " + capacity);
        }
        this.slots = new Object[capacity];
        this.arrivals = new long[capacity];
        this.mask = capacity - 1;
        this.maxDelayNanos = maxDelayNanos;
        this.sink = sink;
    }

    /** Returns how many sequence numbers were given up on. */
    public long skipped() {
        return skipped;
    }

    /** Takes a packet; delivers it, and any it completes, when nothing before it is missing. */
    public void add(int seq, T packet, long nowNanos) {
        if (!started) {
            started = true;
            next = seq;
            highest = seq;
            nackedUpTo = seq;
        }
        int ahead = (seq - next) & 0xFFFF;
        if (ahead >= 0x8000) {
            return; // already delivered or given up on: a late duplicate
        }
        if (ahead > mask) {
            flush();
            next = seq;
            nackedUpTo = seq;
            ahead = 0;
        }
        int slot = seq & mask;
        if (slots[slot] != null) {
            return; // a duplicate
        }
        slots[slot] = packet;
        arrivals[slot] = nowNanos;
        held++;
        if (((seq - highest) & 0xFFFF) < 0x8000) {
            highest = seq;
        }
        drain();
        poll(nowNanos);
    }

    /** Gives up on missing packets waited for longer than the maximum delay. */
    public void poll(long nowNanos) {
        while (held > 0 && slots[next & mask] == null && nowNanos - oldestHeldArrival() > maxDelayNanos) {
            next = (next + 1) & 0xFFFF;
            skipped++;
            drain();
        }
    }

    /**
     * Returns the sequence numbers missing before the newest held packet that were not
     * returned before, for a NACK (RFC 4585 section 6.2.1), at most {@code max}.
     */
    public List<Integer> newlyMissing(int max) {
        List<Integer> out = new ArrayList<>();
        if (held == 0) {
            return out;
        }
        int from = ((nackedUpTo - next) & 0xFFFF) < 0x8000 ? nackedUpTo : next;
        for (int s = from; s != highest && out.size() < max; s = (s + 1) & 0xFFFF) {
            if (slots[s & mask] == null) {
                out.add(s);
            }
        }
        nackedUpTo = highest;
        return out;
    }

    private long oldestHeldArrival() {
        long oldest = Long.MAX_VALUE;
        for (int s = next, n = 0; n < held && s != ((highest + 1) & 0xFFFF); s = (s + 1) & 0xFFFF) {
            if (slots[s & mask] != null) {
                oldest = Math.min(oldest, arrivals[s & mask]);
                n++;
            }
        }
        return oldest;
    }

    @SuppressWarnings("unchecked")
    private void drain() {
        while (held > 0 && slots[next & mask] != null) {
            T p = (T) slots[next & mask];
            slots[next & mask] = null;
            held--;
            int seq = next;
            next = (next + 1) & 0xFFFF;
            sink.deliver(seq, p);
        }
    }

    /** Delivers everything held, in order, giving up on the gaps. */
    private void flush() {
        while (held > 0) {
            if (slots[next & mask] == null) {
                next = (next + 1) & 0xFFFF;
                skipped++;
            } else {
                drain();
            }
        }
    }
}

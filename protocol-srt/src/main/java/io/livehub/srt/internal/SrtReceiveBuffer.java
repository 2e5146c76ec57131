package io.livehub.srt.internal;

import io.livehub.srt.packet.SrtLossList;
import io.livehub.srt.packet.SrtSequence;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Holds received payloads by sequence number until their TSBPD delivery time
 * (draft-sharabayko-srt section 4.5), finds the gaps to report in NAKs (section 4.8), and
 * skips gaps whose successor is due: the too-late packet drop of section 4.6.
 *
 * <p>Sequence numbers are tracked as: {@code head} the next to deliver, {@code ack} the first
 * missing at or after {@code head} (what an ACK acknowledges up to), {@code next} the one
 * after the highest received.
 *
 * <p>Thread-safety: confined to the connection's event loop. Ownership: holds one reference
 * per stored payload; {@link #release()} drops them all.
 */
final class SrtReceiveBuffer {

    enum Result { INSERTED, DUPLICATE, TOO_OLD, OVERFLOW }

    private static final Object DROPPED = new Object();

    private final Object[] slots;
    private final long[] deliverAt;
    private final int mask;
    private int head;
    private int ack;
    private int next;
    private long dropped;
    /** The gap the last insert found, valid after it returned INSERTED with {@link #gapFound}. */
    private int gapFirst;
    private int gapLast;
    private boolean gapFound;

    SrtReceiveBuffer(int capacity, int initialSequence) {
        int cap = Integer.highestOneBit(Math.max(capacity, 2) - 1) << 1;
        slots = new Object[cap];
        deliverAt = new long[cap];
        mask = cap - 1;
        head = initialSequence;
        ack = initialSequence;
        next = initialSequence;
    }

    /**
     * Stores a payload.
     *
     * <p>Ownership: takes {@code payload}'s reference; releases it unless INSERTED.
     */
    Result insert(int seq, ByteBuf payload, long deliverAtNanos) {
        gapFound = false;
        int off = SrtSequence.offset(head, seq);
        if (off < 0) {
            payload.release();
            return Result.TOO_OLD;
        }
        if (off >= slots.length) {
            payload.release();
            return Result.OVERFLOW;
        }
        int i = seq & mask;
        if (slots[i] != null) {
            payload.release();
            return Result.DUPLICATE;
        }
        int ahead = SrtSequence.offset(next, seq);
        if (ahead > 0) {
            gapFound = true;
            gapFirst = next;
            gapLast = SrtSequence.previous(seq);
        }
        if (ahead >= 0) {
            next = SrtSequence.next(seq);
        }
        slots[i] = payload;
        deliverAt[i] = deliverAtNanos;
        advanceAck();
        return Result.INSERTED;
    }

    boolean gapFound() {
        return gapFound;
    }

    int gapFirst() {
        return gapFirst;
    }

    int gapLast() {
        return gapLast;
    }

    /**
     * Hands every payload due at {@code now} to {@code sink} in order, skipping gaps whose next
     * present payload is due (too-late drop).
     *
     * <p>Ownership: each payload is borrowed by {@code sink} and released after it returns.
     */
    void deliver(long now, Consumer<ByteBuf> sink) {
        deliver(now, true, sink);
    }

    /**
     * Hands every payload due at {@code now} to {@code sink} in order; with {@code dropLate} a
     * gap is skipped when the next present payload is due, without it (too-late drop not
     * agreed) delivery waits for the missing packet.
     */
    void deliver(long now, boolean dropLate, Consumer<ByteBuf> sink) {
        while (head != next) {
            int i = head & mask;
            Object s = slots[i];
            if (s == DROPPED) {
                slots[i] = null;
                head = SrtSequence.next(head);
                continue;
            }
            if (s != null) {
                if (deliverAt[i] - now > 0) {
                    break;
                }
                slots[i] = null;
                head = SrtSequence.next(head);
                ByteBuf b = (ByteBuf) s;
                try {
                    sink.accept(b);
                } finally {
                    b.release();
                }
                continue;
            }
            if (!dropLate) {
                break;
            }
            int k = firstPresentAfter(head);
            if (k == next || deliverAt[k & mask] - now > 0) {
                break;
            }
            while (head != k) {
                int j = head & mask;
                if (slots[j] == null) {
                    dropped++;
                }
                slots[j] = null;
                head = SrtSequence.next(head);
            }
        }
        if (SrtSequence.offset(ack, head) > 0) {
            ack = head;
        }
        advanceAck();
    }

    /** Returns the first sequence number after {@code from} holding a payload, or {@code next}. */
    private int firstPresentAfter(int from) {
        int s = SrtSequence.next(from);
        while (s != next) {
            Object o = slots[s & mask];
            if (o != null && o != DROPPED) {
                return s;
            }
            s = SrtSequence.next(s);
        }
        return next;
    }

    /**
     * Gives up on {@code first..last} because the sender did (a drop request,
     * draft-sharabayko-srt section 3.2.9): the missing ones leave the loss list and delivery
     * skips them; packets of the range already here are kept and delivered, as libsrt does.
     * A range beyond the buffer is ignored.
     *
     * @return how many missing packets were given up
     */
    int drop(int first, int last) {
        if (SrtSequence.offset(first, last) < 0) {
            return 0;
        }
        // Clip to head..head+capacity, measured from head: a range may wrap the sequence circle
        // so that it starts ahead of head and ends behind it, or the reverse.
        int lastOff = SrtSequence.offset(head, last);
        if (lastOff < 0 || lastOff >= slots.length) {
            return 0; // all delivered already, or beyond the buffer: a confused or hostile peer
        }
        int fromOff = Math.max(0, SrtSequence.offset(head, first));
        if (fromOff > lastOff) {
            return 0;
        }
        int count = lastOff - fromOff + 1;
        int given = 0;
        int s = SrtSequence.add(head, fromOff);
        for (int n = 0; n < count; n++) {
            int i = s & mask;
            if (slots[i] == null) {
                slots[i] = DROPPED;
                given++;
            }
            s = SrtSequence.next(s);
        }
        if (SrtSequence.offset(next, s) > 0) {
            next = s;
        }
        dropped += given;
        advanceAck();
        return given;
    }

    private void advanceAck() {
        while (ack != next && slots[ack & mask] != null) {
            ack = SrtSequence.next(ack);
        }
    }

    /** Returns the gaps between {@code ack} and {@code next}, at most {@code maxRanges} ranges. */
    SrtLossList losses(int maxRanges) {
        SrtLossList.Builder b = new SrtLossList.Builder();
        int s = ack;
        while (s != next && b.rangeCount() < maxRanges) {
            if (slots[s & mask] == null) {
                int first = s;
                while (SrtSequence.next(s) != next && slots[SrtSequence.next(s) & mask] == null) {
                    s = SrtSequence.next(s);
                }
                b.add(first, s);
            }
            s = SrtSequence.next(s);
        }
        return b.build();
    }

    boolean hasLosses() {
        return ack != next;
    }

    /** Returns the sequence number an ACK acknowledges up to (exclusive). */
    int ackSequence() {
        return ack;
    }

    int headSequence() {
        return head;
    }

    /** Returns the free space in packets. */
    int available() {
        return slots.length - SrtSequence.offset(head, next);
    }

    int capacity() {
        return slots.length;
    }

    /** Returns how many missing packets were given up: skipped as too late or named by a drop request. */
    long dropped() {
        return dropped;
    }

    void release() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] instanceof ByteBuf) {
                ((ByteBuf) slots[i]).release();
            }
            slots[i] = null;
        }
    }
}

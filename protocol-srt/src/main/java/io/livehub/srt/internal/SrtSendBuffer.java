package io.livehub.srt.internal;

import io.livehub.srt.packet.SrtSequence;
import io.netty.buffer.ByteBuf;

/**
 * Keeps sent payloads until they are acknowledged or too old to matter, for retransmission
 * on NAK (draft-sharabayko-srt sections 4.8 and 4.6), and queues the sequence numbers to
 * retransmit.
 *
 * <p>Sequence numbers: {@code head} the oldest kept, {@code current} the next to send for the
 * first time, {@code tail} the next to assign.
 *
 * <p>Thread-safety: confined to the connection's event loop. Ownership: holds one reference
 * per kept payload; {@link #release()} drops them all.
 */
final class SrtSendBuffer {

    private final ByteBuf[] payloads;
    private final int[] timestamps;
    private final int[] messageNumbers;
    private final long[] addedAt;
    private final boolean[] rexmitQueued;
    private final int mask;
    private final int[] rexmit;
    private int rexmitHead;
    private int rexmitSize;
    private int head;
    private int current;
    private int tail;

    SrtSendBuffer(int capacity, int initialSequence) {
        int cap = Integer.highestOneBit(Math.max(capacity, 2) - 1) << 1;
        payloads = new ByteBuf[cap];
        timestamps = new int[cap];
        messageNumbers = new int[cap];
        addedAt = new long[cap];
        rexmitQueued = new boolean[cap];
        rexmit = new int[cap];
        mask = cap - 1;
        head = initialSequence;
        current = initialSequence;
        tail = initialSequence;
    }

    int size() {
        return SrtSequence.offset(head, tail);
    }

    boolean isFull() {
        return size() >= payloads.length;
    }

    /** Adds a payload; the buffer must not be full. Ownership: takes {@code payload}. Returns its sequence number. */
    int add(ByteBuf payload, int timestamp, int messageNumber, long now) {
        int seq = tail;
        int i = seq & mask;
        payloads[i] = payload;
        timestamps[i] = timestamp;
        messageNumbers[i] = messageNumber;
        addedAt[i] = now;
        rexmitQueued[i] = false;
        tail = SrtSequence.next(tail);
        return seq;
    }

    /** Drops the oldest payload (when full or too late); returns false when empty. */
    boolean dropOldest() {
        if (head == tail) {
            return false;
        }
        int i = head & mask;
        payloads[i].release();
        payloads[i] = null;
        if (head == current) {
            current = SrtSequence.next(current);
        }
        head = SrtSequence.next(head);
        return true;
    }

    /**
     * Drops every payload added before {@code addedBefore} (libsrt's sender-side too-late
     * drop, TLPKTDROP): such a payload cannot reach the receiver before its play time any more.
     * Returns how many were dropped; they are {@link #headSequence()} minus that many up to
     * the new head.
     */
    int dropAddedBefore(long addedBefore) {
        int n = 0;
        while (head != tail && addedAt[head & mask] - addedBefore < 0) {
            dropOldest();
            n++;
        }
        return n;
    }

    /** Returns the time the oldest payload was added, or Long.MAX_VALUE when empty. */
    long oldestAddedAt() {
        return head == tail ? Long.MAX_VALUE : addedAt[head & mask];
    }

    /** Releases every payload before {@code ackSeq}; returns how many. */
    int acknowledge(int ackSeq) {
        int off = SrtSequence.offset(head, ackSeq);
        if (off <= 0 || off > size()) {
            return 0;
        }
        for (int n = 0; n < off; n++) {
            int i = head & mask;
            payloads[i].release();
            payloads[i] = null;
            head = SrtSequence.next(head);
        }
        if (SrtSequence.offset(current, head) > 0) {
            current = head;
        }
        return off;
    }

    /** Returns whether there is a payload never sent. */
    boolean hasUnsent() {
        return current != tail;
    }

    /** Returns the next payload never sent and marks it sent. */
    int nextUnsent() {
        int seq = current;
        current = SrtSequence.next(current);
        return seq;
    }

    /** Returns how many payloads were never sent. */
    int unsentCount() {
        return SrtSequence.offset(current, tail);
    }

    /** Returns when the oldest payload never sent was added, or {@code now} when there is none. */
    long oldestUnsentAddedAt(long now) {
        return current == tail ? now : addedAt[current & mask];
    }

    /** Returns how many sequence numbers are queued for retransmission. */
    int retransmissionCount() {
        return rexmitSize;
    }

    /** Returns how many sent payloads await acknowledgement. */
    int inFlight() {
        return SrtSequence.offset(head, current);
    }

    /** Queues {@code first..last} (clipped to what was sent and is kept) for retransmission. */
    void queueRetransmission(int first, int last) {
        int from = SrtSequence.offset(head, first) < 0 ? head : first;
        int to = SrtSequence.offset(last, current) <= 0 ? SrtSequence.previous(current) : last;
        int n = SrtSequence.offset(from, to) + 1;
        if (n <= 0 || SrtSequence.offset(head, from) >= payloads.length) {
            return;
        }
        int s = from;
        for (int k = 0; k < n; k++) {
            int i = s & mask;
            if (payloads[i] != null && !rexmitQueued[i] && rexmitSize < rexmit.length) {
                rexmitQueued[i] = true;
                rexmit[(rexmitHead + rexmitSize) & mask] = s;
                rexmitSize++;
            }
            s = SrtSequence.next(s);
        }
    }

    /** Returns the next sequence number to retransmit that is still kept, or -1. */
    int pollRetransmission() {
        while (rexmitSize > 0) {
            int seq = rexmit[rexmitHead];
            rexmitHead = (rexmitHead + 1) & mask;
            rexmitSize--;
            int i = seq & mask;
            if (contains(seq)) {
                rexmitQueued[i] = false;
                return seq;
            }
        }
        return -1;
    }

    boolean hasRetransmission() {
        return rexmitSize > 0;
    }

    private boolean contains(int seq) {
        int off = SrtSequence.offset(head, seq);
        return off >= 0 && off < size() && payloads[seq & mask] != null;
    }

    /** Returns the payload of a kept sequence number (borrowed). */
    ByteBuf payload(int seq) {
        return payloads[seq & mask];
    }

    int timestamp(int seq) {
        return timestamps[seq & mask];
    }

    int messageNumber(int seq) {
        return messageNumbers[seq & mask];
    }

    int headSequence() {
        return head;
    }

    /** Returns the sequence number the next {@link #add} assigns. */
    int tailSequence() {
        return tail;
    }

    void release() {
        for (int i = 0; i < payloads.length; i++) {
            if (payloads[i] != null) {
                payloads[i].release();
                payloads[i] = null;
            }
        }
        head = current = tail;
        rexmitSize = 0;
    }
}

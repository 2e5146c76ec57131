package io.livehub.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Keeps the last sent (already protected) packets of one SSRC by sequence number, to answer
 * NACKs (RFC 4585 section 6.2.1) by sending them again unchanged: the browser never received
 * them, so their SRTP index is new to it.
 *
 * <p>Memory: at most {@code capacity} packets (a power of two), each about an MTU.
 *
 * <p>Thread-safety: not thread-safe; owned by the sender's executor. Ownership: {@link #put}
 * takes a reference; {@link #get} lends one (retain it to keep it past the next put);
 * {@link #clear} releases all.
 */
public final class RetransmissionBuffer {

    private final ByteBuf[] packets;
    private final int[] sequences;
    private final int mask;

    public RetransmissionBuffer(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.packets = new ByteBuf[capacity];
        this.sequences = new int[capacity];
        this.mask = capacity - 1;
    }

    /** Stores {@code packet} as {@code sequence}, releasing what it replaces. Takes the reference. */
    public void put(int sequence, ByteBuf packet) {
        int slot = sequence & mask;
        ByteBuf old = packets[slot];
        if (old != null) {
            old.release();
        }
        packets[slot] = packet;
        sequences[slot] = sequence;
    }

    /** Returns the packet sent as {@code sequence}, or null when it is no longer kept. Borrowed. */
    public ByteBuf get(int sequence) {
        int slot = sequence & mask;
        ByteBuf p = packets[slot];
        return p != null && sequences[slot] == sequence ? p : null;
    }

    /** Releases every packet. */
    public void clear() {
        for (int i = 0; i < packets.length; i++) {
            if (packets[i] != null) {
                packets[i].release();
                packets[i] = null;
            }
        }
    }
}

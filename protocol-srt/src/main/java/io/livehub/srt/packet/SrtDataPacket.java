package io.livehub.srt.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A data packet (F = 0) of draft-sharabayko-srt section 3.1: sequence number, message
 * flags, timestamp, destination socket id and payload.
 *
 * <p>Thread-safety: the fields are immutable; the payload is not shared safely across
 * threads unless handed over.
 *
 * <p>Ownership: the packet owns its payload; whoever holds the packet releases it.
 */
public final class SrtDataPacket extends DefaultByteBufHolder implements SrtPacket {

    /** Packet position PP = 00: a middle packet of a message. */
    public static final int POSITION_MIDDLE = 0;
    /** Packet position PP = 01: the last packet of a message. */
    public static final int POSITION_LAST = 1;
    /** Packet position PP = 10: the first packet of a message. */
    public static final int POSITION_FIRST = 2;
    /** Packet position PP = 11: a message in one packet, as in live mode. */
    public static final int POSITION_SOLO = 3;

    /** Encryption flag KK = 00: not encrypted. */
    public static final int KEY_NONE = 0;
    /** Encryption flag KK = 01: encrypted with the even key. */
    public static final int KEY_EVEN = 1;
    /** Encryption flag KK = 10: encrypted with the odd key. */
    public static final int KEY_ODD = 2;

    /** The largest message number (26 bits). */
    public static final int MAX_MESSAGE_NUMBER = 0x03FF_FFFF;

    private final int sequenceNumber;
    private final int position;
    private final boolean inOrder;
    private final int keyFlags;
    private final boolean retransmitted;
    private final int messageNumber;
    private final int timestamp;
    private final int destinationSocketId;

    /**
     * Makes a data packet.
     *
     * <p>Ownership: takes {@code payload}'s reference.
     *
     * @throws IllegalArgumentException when a field does not fit its bits
     */
    public SrtDataPacket(int sequenceNumber, int position, boolean inOrder, int keyFlags, boolean retransmitted,
                         int messageNumber, int timestamp, int destinationSocketId, ByteBuf payload) {
        super(payload);
        if (sequenceNumber < 0) {
            throw new IllegalArgumentException("sequence number is 31 bits: " + sequenceNumber);
        }
        if ((position & ~3) != 0 || (keyFlags & ~3) != 0) {
            throw new IllegalArgumentException("position and key flags are 2 bits");
        }
        if ((messageNumber & ~MAX_MESSAGE_NUMBER) != 0) {
            throw new IllegalArgumentException("message number is 26 bits: " + messageNumber);
        }
        this.sequenceNumber = sequenceNumber;
        this.position = position;
        this.inOrder = inOrder;
        this.keyFlags = keyFlags;
        this.retransmitted = retransmitted;
        this.messageNumber = messageNumber;
        this.timestamp = timestamp;
        this.destinationSocketId = destinationSocketId;
    }

    /** Makes a live-mode packet: a solo message, not in-order, not encrypted, not retransmitted. */
    public static SrtDataPacket live(int sequenceNumber, int messageNumber, int timestamp, int destinationSocketId,
                                     ByteBuf payload) {
        return new SrtDataPacket(sequenceNumber, POSITION_SOLO, false, KEY_NONE, false, messageNumber, timestamp,
                destinationSocketId, payload);
    }

    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** Returns the packet position flag PP, one of the {@code POSITION_*} values. */
    public int position() {
        return position;
    }

    public boolean inOrder() {
        return inOrder;
    }

    /** Returns the encryption flag KK, one of the {@code KEY_*} values. */
    public int keyFlags() {
        return keyFlags;
    }

    /** Returns the R flag: the packet was sent before and this is a retransmission. */
    public boolean retransmitted() {
        return retransmitted;
    }

    public int messageNumber() {
        return messageNumber;
    }

    @Override
    public int timestamp() {
        return timestamp;
    }

    @Override
    public int destinationSocketId() {
        return destinationSocketId;
    }

    @Override
    public boolean isControl() {
        return false;
    }

    /** Returns the second header word: PP, O, KK, R and the message number. */
    int messageWord() {
        return (position << 30) | (inOrder ? 1 << 29 : 0) | (keyFlags << 27) | (retransmitted ? 1 << 26 : 0)
                | messageNumber;
    }

    @Override
    public SrtDataPacket replace(ByteBuf content) {
        return new SrtDataPacket(sequenceNumber, position, inOrder, keyFlags, retransmitted, messageNumber, timestamp,
                destinationSocketId, content);
    }

    @Override
    public SrtDataPacket retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return "SrtDataPacket[seq=" + sequenceNumber + ", msg=" + messageNumber + ", pp=" + position
                + ", kk=" + keyFlags + (retransmitted ? ", R" : "") + ", ts=" + Integer.toUnsignedString(timestamp)
                + ", dst=" + Integer.toHexString(destinationSocketId) + ", len=" + content().readableBytes() + "]";
    }
}

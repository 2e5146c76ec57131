package io.livehub.srt.packet;

/**
 * One SRT packet: the common part of the 16-byte header of draft-sharabayko-srt section 3.
 *
 * <p>Thread-safety: implementations are immutable, except for the reference count of a
 * {@link SrtDataPacket}'s payload.
 */
public interface SrtPacket {

    /** Returns the header length in bytes; every packet starts with it. */
    int HEADER_LENGTH = 16;

    /** Returns the sender's timestamp: microseconds since its socket started, wrapping at 2^32. */
    int timestamp();

    /** Returns the id of the socket the packet is for; 0 for a connection request. */
    int destinationSocketId();

    /** Returns whether this is a control packet (F flag set). */
    boolean isControl();
}

package io.livehub.srt.packet;

/**
 * A control packet (F = 1) of draft-sharabayko-srt section 3.2.
 *
 * <p>Thread-safety: implementations are immutable.
 */
public interface SrtControlPacket extends SrtPacket {

    /** Returns the control type, one of {@link SrtControlType}. */
    int controlType();

    @Override
    default boolean isControl() {
        return true;
    }
}

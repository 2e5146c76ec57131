package io.livehub.srt.packet;

/**
 * A control packet of a type this implementation does not act on (congestion warning,
 * user-defined); decoded so that it can be counted and ignored.
 */
public record SrtOtherControl(int controlType, int subtype, int typeInfo, int timestamp, int destinationSocketId)
        implements SrtControlPacket {
}

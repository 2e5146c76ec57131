package io.livehub.rtmp.chunk;

import io.livehub.rtmp.message.RtmpMessageType;

/**
 * Lists the chunk stream ids (RTMP spec §5.3.1.1) this library sends on, and chooses one for a
 * message type. Ids 0 and 1 are header forms, not streams; 2 is reserved for protocol control.
 */
public final class RtmpChunkStreamIds {

    /** Protocol control and user control messages (RTMP spec §5.4, §6.2). */
    public static final int PROTOCOL_CONTROL = 2;
    /** Commands on message stream 0, such as connect and createStream. */
    public static final int COMMAND = 3;
    /** Audio messages. */
    public static final int AUDIO = 4;
    /** Commands and data messages on a media message stream, such as play, publish and onMetaData. */
    public static final int STREAM = 5;
    /** Video and aggregate messages. */
    public static final int VIDEO = 6;

    private RtmpChunkStreamIds() {
    }

    /** Returns the chunk stream id for a message of {@code typeId} on {@code messageStreamId}. */
    public static int forType(int typeId, int messageStreamId) {
        if (RtmpMessageType.isProtocolControl(typeId) || typeId == RtmpMessageType.USER_CONTROL) {
            return PROTOCOL_CONTROL;
        }
        return switch (typeId) {
            case RtmpMessageType.AUDIO -> AUDIO;
            case RtmpMessageType.VIDEO, RtmpMessageType.AGGREGATE -> VIDEO;
            default -> messageStreamId == 0 ? COMMAND : STREAM;
        };
    }
}

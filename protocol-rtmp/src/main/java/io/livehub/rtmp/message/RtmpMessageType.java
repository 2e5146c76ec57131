package io.livehub.rtmp.message;

/**
 * Lists the RTMP message type ids: protocol control (RTMP spec §5.4), user control (§6.2) and
 * the message types of §7.1.
 */
public final class RtmpMessageType {

    public static final int SET_CHUNK_SIZE = 1;
    public static final int ABORT = 2;
    public static final int ACKNOWLEDGEMENT = 3;
    public static final int USER_CONTROL = 4;
    public static final int WINDOW_ACK_SIZE = 5;
    public static final int SET_PEER_BANDWIDTH = 6;
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int AMF3_DATA = 15;
    public static final int AMF3_SHARED_OBJECT = 16;
    public static final int AMF3_COMMAND = 17;
    public static final int AMF0_DATA = 18;
    public static final int AMF0_SHARED_OBJECT = 19;
    public static final int AMF0_COMMAND = 20;
    public static final int AGGREGATE = 22;

    private RtmpMessageType() {
    }

    /** Returns whether {@code typeId} is a protocol control message (RTMP spec §5.4: types 1, 2, 3, 5, 6). */
    public static boolean isProtocolControl(int typeId) {
        return typeId == SET_CHUNK_SIZE || typeId == ABORT || typeId == ACKNOWLEDGEMENT
                || typeId == WINDOW_ACK_SIZE || typeId == SET_PEER_BANDWIDTH;
    }

    /** Returns a short name for logs, such as {@code "video"} or {@code "type-42"}. */
    public static String name(int typeId) {
        return switch (typeId) {
            case SET_CHUNK_SIZE -> "set-chunk-size";
            case ABORT -> "abort";
            case ACKNOWLEDGEMENT -> "ack";
            case USER_CONTROL -> "user-control";
            case WINDOW_ACK_SIZE -> "window-ack-size";
            case SET_PEER_BANDWIDTH -> "set-peer-bandwidth";
            case AUDIO -> "audio";
            case VIDEO -> "video";
            case AMF3_DATA -> "amf3-data";
            case AMF3_SHARED_OBJECT -> "amf3-shared-object";
            case AMF3_COMMAND -> "amf3-command";
            case AMF0_DATA -> "amf0-data";
            case AMF0_SHARED_OBJECT -> "amf0-shared-object";
            case AMF0_COMMAND -> "amf0-command";
            case AGGREGATE -> "aggregate";
            default -> "type-" + typeId;
        };
    }
}

package io.livehub.rtmp.internal;

import io.livehub.rtmp.amf.AmfObject;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builds the {@code onStatus}, {@code _result} and {@code _error} commands of RTMP spec
 * §7.2 with the status codes Flash and FMS clients expect.
 */
public final class RtmpStatus {

    public static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
    public static final String CONNECT_REJECTED = "NetConnection.Connect.Rejected";
    public static final String PUBLISH_START = "NetStream.Publish.Start";
    public static final String PUBLISH_BAD_NAME = "NetStream.Publish.BadName";
    public static final String PUBLISH_DENIED = "NetStream.Publish.Denied";
    public static final String UNPUBLISH_SUCCESS = "NetStream.Unpublish.Success";
    public static final String PLAY_RESET = "NetStream.Play.Reset";
    public static final String PLAY_START = "NetStream.Play.Start";
    public static final String PLAY_FAILED = "NetStream.Play.Failed";
    public static final String PLAY_STOP = "NetStream.Play.Stop";
    public static final String PLAY_STREAM_NOT_FOUND = "NetStream.Play.StreamNotFound";
    public static final String PLAY_UNPUBLISH_NOTIFY = "NetStream.Play.UnpublishNotify";
    public static final String PLAY_PUBLISH_NOTIFY = "NetStream.Play.PublishNotify";

    private RtmpStatus() {
    }

    /** Returns the info object of a status: level, code, description. */
    public static AmfObject info(String level, String code, String description) {
        return new AmfObject().with("level", level).with("code", code).with("description", description);
    }

    /**
     * Builds {@code onStatus(0, null, info)} on a message stream.
     *
     * <p>Ownership: the caller owns the returned message.
     */
    public static RtmpMessage onStatus(ByteBufAllocator alloc, int streamId, String level, String code,
                                       String description) {
        AmfObject info = info(level, code, description);
        if (PLAY_RESET.equals(code) || PLAY_START.equals(code)) {
            info.with("details", description).with("clientid", "livehub");
        }
        return RtmpCommand.of("onStatus", 0, null, info).toMessage(alloc, streamId);
    }

    /** Builds {@code _result(tid, commandObject, args...)}. Ownership: the caller owns the message. */
    public static RtmpMessage result(ByteBufAllocator alloc, double transactionId, Object commandObject,
                                     Object... args) {
        return RtmpCommand.of("_result", transactionId, commandObject, args).toMessage(alloc, 0);
    }

    /** Builds {@code _error(tid, null, info)}. Ownership: the caller owns the message. */
    public static RtmpMessage error(ByteBufAllocator alloc, double transactionId, String code, String description) {
        return RtmpCommand.of("_error", transactionId, null, info("error", code, description)).toMessage(alloc, 0);
    }
}

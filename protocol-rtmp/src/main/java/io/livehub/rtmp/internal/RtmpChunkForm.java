package io.livehub.rtmp.internal;

import io.livehub.flv.FlvMediaEncoder;
import io.livehub.flv.FlvTagType;
import io.livehub.media.EgressForm;
import io.livehub.media.EgressForms;
import io.livehub.media.MediaFrame;
import io.livehub.rtmp.chunk.RtmpChunkStreamIds;
import io.livehub.rtmp.chunk.RtmpChunkWriter;
import io.livehub.rtmp.message.RtmpMessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared RTMP form of hub frames: a complete chunk run with a full (type 0) header on
 * message stream 1, built once per frame and written unchanged to every RTMP player of the
 * stream (ARCHITECTURE.md section 3, point 4).
 */
public final class RtmpChunkForm {

    private static final Logger log = LoggerFactory.getLogger(RtmpChunkForm.class);

    /** The message stream id every play stream gets from {@code createStream}. */
    public static final int STREAM_ID = 1;

    private RtmpChunkForm() {
    }

    /** Returns the form, in a server's {@code forms}, for players whose outgoing chunk size is {@code chunkSize}. */
    public static EgressForm form(EgressForms forms, int chunkSize) {
        return forms.of("rtmp.chunks." + chunkSize, (frame, alloc) -> encode(frame, alloc, chunkSize));
    }

    /** Returns the RTMP message type that carries {@code frame}. */
    public static int messageType(MediaFrame frame) {
        return FlvMediaEncoder.tagType(frame.track()) == FlvTagType.VIDEO ? RtmpMessageType.VIDEO
                : FlvMediaEncoder.tagType(frame.track()) == FlvTagType.AUDIO ? RtmpMessageType.AUDIO
                : RtmpMessageType.AMF0_DATA;
    }

    /** Returns the chunk stream id for a message type: audio and video on their own streams. */
    public static int chunkStreamId(int messageType) {
        return messageType == RtmpMessageType.VIDEO ? RtmpChunkStreamIds.VIDEO
                : messageType == RtmpMessageType.AUDIO ? RtmpChunkStreamIds.AUDIO : RtmpChunkStreamIds.STREAM;
    }

    private static ByteBuf encode(MediaFrame frame, io.netty.buffer.ByteBufAllocator alloc, int chunkSize) {
        ByteBuf body;
        try {
            body = FlvMediaEncoder.encodeBody(frame, alloc);
        } catch (RuntimeException e) {
            log.debug("frame cannot be sent over RTMP: {}", e.toString());
            return Unpooled.EMPTY_BUFFER;
        }
        try {
            int type = messageType(frame);
            return RtmpChunkWriter.encode(alloc, type, STREAM_ID, frame.dtsMillis() & 0xFFFF_FFFFL, body,
                    chunkStreamId(type), chunkSize);
        } finally {
            body.release();
        }
    }
}

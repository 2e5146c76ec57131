package io.livehub.rtmp.internal;

import io.livehub.flv.FlvMediaDecoder;
import io.livehub.flv.FlvTagType;
import io.livehub.hub.Publication;
import io.livehub.media.MediaFrame;
import io.livehub.media.MediaSink;
import io.livehub.rtmp.message.RtmpAggregate;
import io.livehub.rtmp.message.RtmpDataMessage;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.netty.buffer.ByteBuf;
import java.util.Map;

/**
 * Turns what an RTMP publisher sends into hub frames (the ingest side of RTMP): audio and video
 * messages through {@link FlvMediaDecoder} (FLV tag bodies, Enhanced RTMP included), aggregate
 * messages (RTMP spec §7.1.6) split into their audio and video parts, and {@code onMetaData}
 * (directly or inside {@code @setDataFrame}) as the stream's metadata.
 *
 * <p>Thread-safety: confined to the publisher's event loop.
 */
final class RtmpIngest implements MediaSink {

    private final Publication publication;
    private final FlvMediaDecoder decoder = new FlvMediaDecoder();

    RtmpIngest(Publication publication) {
        this.publication = publication;
    }

    /**
     * Publishes the frames of one audio or video message.
     *
     * <p>Ownership: {@code body} is borrowed; the caller releases it.
     *
     * @throws io.livehub.media.MalformedMediaException when the body is malformed
     */
    void onMedia(FlvTagType type, long timestamp, ByteBuf body) {
        decoder.decode(type, timestamp, body, this);
    }

    /** Publishes the audio and video sub-messages of an aggregate message. Ownership: borrowed. */
    void onAggregate(RtmpMessage m) {
        RtmpAggregate.forEach(m, (type, timestamp, body) -> {
            if (type == RtmpMessageType.AUDIO) {
                onMedia(FlvTagType.AUDIO, timestamp, body);
            } else if (type == RtmpMessageType.VIDEO) {
                onMedia(FlvTagType.VIDEO, timestamp, body);
            }
        });
    }

    /** Passes {@code onMetaData} on as the stream's metadata; other data messages are not media. */
    void onData(RtmpDataMessage data) {
        RtmpDataMessage inner = data.isSetDataFrame() ? data.unwrapSetDataFrame() : data;
        if (inner != null && RtmpDataMessage.ON_META_DATA.equals(inner.name())) {
            Map<String, Object> md = inner.firstMap();
            if (md != null) {
                publication.metadata(md);
            }
        }
    }

    @Override
    public void onFrame(MediaFrame frame) {
        publication.publish(frame);
    }
}

package io.livehub.rtmp.internal;

import io.livehub.flv.FlvHeader;
import io.livehub.flv.FlvMediaEncoder;
import io.livehub.flv.FlvTagEncoder;
import io.livehub.flv.FlvTagType;
import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamSubscriber;
import io.livehub.media.EgressForm;
import io.livehub.media.EgressGatherer;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.rtmp.amf.Amf0Encoder;
import io.livehub.rtmp.amf.AmfEcmaArray;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.Map;

/**
 * Plays a hub stream as an HTTP-FLV body: each frame's shared FLV tag, preceded by a
 * sequence header tag when the track changed, and script data for metadata. The tags of a
 * drain are joined by the thread's {@link EgressGatherer} and written as one message.
 *
 * <p>Thread-safety: the hub calls it on the channel's event loop.
 */
final class HttpFlvEgress implements StreamSubscriber {

    private final Channel channel;
    private final EgressForm form;
    private Track video;
    private Track audio;
    private long lastMillis;
    private volatile long bytesSent;
    private LiveStream stream;
    private boolean headerWritten;

    /**
     * @param channel the response's channel
     * @param form    the server's FLV tag form ({@link FlvMediaEncoder#tagForm})
     */
    HttpFlvEgress(Channel channel, EgressForm form) {
        this.channel = channel;
        this.form = form;
    }

    /** Returns the FLV bytes written so far (the response head not counted). */
    long bytesSent() {
        return bytesSent;
    }

    private void send(ByteBuf b) {
        bytesSent = bytesSent + b.readableBytes();
        channel.write(b, channel.voidPromise());
    }

    /** Writes the tags gathered since the last write, joined, as one message. */
    private void sendGathered() {
        ByteBuf tags = EgressGatherer.current().take(this);
        if (tags != null) {
            send(tags);
        }
    }

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    /** A socket writer: one write per merged-write window, not one per frame. */
    @Override
    public boolean batchesFrames() {
        return true;
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** The hub closed the subscription (a player that stopped reading): the response ends. */
    @Override
    public void onEvicted(String reason) {
        channel.close();
    }

    @Override
    public void onPublish(LiveStream stream) {
        this.stream = stream;
    }

    /**
     * Writes the FLV header once the stream's tracks can be told: from the metadata's codec
     * ids, else from the tracks the hub has seen. A header that promises audio for a video-only
     * stream makes players (ffmpeg's FLV demuxer, flv.js) wait for audio that never comes.
     */
    private void writeHeader(Map<String, Object> metadata) {
        if (headerWritten) {
            return;
        }
        headerWritten = true;
        boolean audio = metadata != null && metadata.containsKey("audiocodecid")
                || stream != null && stream.audioTrack() != null;
        boolean video = metadata != null && metadata.containsKey("videocodecid")
                || stream != null && stream.videoTrack() != null;
        if (!audio && !video) {
            audio = true;
            video = true;
        }
        ByteBuf header = channel.alloc().buffer(FlvHeader.LENGTH_WITH_PREVIOUS_TAG_SIZE);
        new FlvHeader(audio, video).write(header);
        send(header);
    }

    @Override
    public void onMetadata(Map<String, Object> metadata) {
        sendGathered();
        writeHeader(metadata);
        ByteBuf body = channel.alloc().buffer();
        try {
            Amf0Encoder.writeValues(body, List.of("onMetaData", new AmfEcmaArray(metadata)));
            send(FlvTagEncoder.encode(channel.alloc(), FlvTagType.SCRIPT_DATA, lastMillis, body));
        } finally {
            body.release();
        }
    }

    @Override
    public void onFrame(MediaFrame frame) {
        writeHeader(null);
        Track track = frame.track();
        lastMillis = frame.dtsMillis();
        if (track.kind() == TrackKind.VIDEO ? track != video : track.kind() == TrackKind.AUDIO && track != audio) {
            if (track.kind() == TrackKind.VIDEO) {
                video = track;
            } else {
                audio = track;
            }
            ByteBuf header = FlvMediaEncoder.encodeSequenceHeader(track, channel.alloc());
            if (header != null) {
                sendGathered();
                try {
                    send(FlvTagEncoder.encode(channel.alloc(), FlvMediaEncoder.tagType(track), lastMillis, header));
                } finally {
                    header.release();
                }
            }
        }
        EgressGatherer gatherer = EgressGatherer.current();
        if (!gatherer.add(this, form, frame, channel.alloc())) {
            sendGathered();
            gatherer.add(this, form, frame, channel.alloc());
        }
    }

    @Override
    public void onFlush() {
        sendGathered();
        channel.flush();
    }
}

package io.livehub.rtmp.internal;

import io.livehub.flv.FlvMediaEncoder;
import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamSubscriber;
import io.livehub.media.EgressForm;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.rtmp.amf.AmfEcmaArray;
import io.livehub.rtmp.message.RtmpDataMessage;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpUserControlEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.Map;

/**
 * Plays a hub stream to one RTMP client: writes each frame's shared chunk run, and before
 * it, when the track changed, the track's sequence header.
 *
 * <p>Thread-safety: the hub calls it on the channel's event loop.
 */
final class RtmpPlayer implements StreamSubscriber {

    private final ChannelHandlerContext ctx;
    private final EgressForm form;
    private Track video;
    private Track audio;
    private long lastMillis;
    private boolean published;

    RtmpPlayer(ChannelHandlerContext ctx, int chunkSize) {
        this.ctx = ctx;
        this.form = RtmpEgress.form(chunkSize);
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void onPublish(LiveStream stream) {
        video = null;
        audio = null;
        if (published) {
            // A new publisher after an unpublish: tell the player the stream restarts.
            ctx.write(RtmpUserControlEvent.streamBegin(RtmpEgress.STREAM_ID).toMessage(ctx.alloc(), 0));
            ctx.write(RtmpStatus.onStatus(ctx.alloc(), RtmpEgress.STREAM_ID, "status",
                    RtmpStatus.PLAY_PUBLISH_NOTIFY, stream.key().path() + " is now published."));
        }
        published = true;
    }

    @Override
    public void onMetadata(Map<String, Object> metadata) {
        RtmpDataMessage data = new RtmpDataMessage(RtmpDataMessage.ON_META_DATA, List.of(new AmfEcmaArray(metadata)));
        ctx.write(data.toMessage(ctx.alloc(), RtmpEgress.STREAM_ID, lastMillis));
    }

    @Override
    public void onFrame(MediaFrame frame) {
        Track track = frame.track();
        long millis = frame.dtsMillis() & 0xFFFF_FFFFL;
        lastMillis = millis;
        if (track.kind() == TrackKind.VIDEO ? track != video : track.kind() == TrackKind.AUDIO && track != audio) {
            if (track.kind() == TrackKind.VIDEO) {
                video = track;
            } else {
                audio = track;
            }
            ByteBuf header = FlvMediaEncoder.encodeSequenceHeader(track, ctx.alloc());
            if (header != null) {
                int type = RtmpEgress.messageType(frame);
                ctx.write(new RtmpMessage(type, RtmpEgress.STREAM_ID, millis, RtmpEgress.chunkStreamId(type), header));
            }
        }
        ByteBuf run = frame.encoded(form, ctx.alloc());
        if (run.isReadable()) {
            ctx.write(run.retainedDuplicate(), ctx.voidPromise());
        }
    }

    @Override
    public void onFlush() {
        ctx.flush();
    }

    @Override
    public void onUnpublish(LiveStream stream) {
        ctx.write(RtmpUserControlEvent.streamEof(RtmpEgress.STREAM_ID).toMessage(ctx.alloc(), 0));
        ctx.writeAndFlush(RtmpStatus.onStatus(ctx.alloc(), RtmpEgress.STREAM_ID, "status",
                RtmpStatus.PLAY_UNPUBLISH_NOTIFY, stream.key().path() + " is now unpublished."));
    }
}

package io.livehub.rtmp.internal;

import io.livehub.flv.FlvMediaEncoder;
import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamSubscriber;
import io.livehub.media.EgressForm;
import io.livehub.media.EgressGatherer;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.rtmp.amf.AmfEcmaArray;
import io.livehub.rtmp.chunk.RtmpChunkEncoder;
import io.livehub.rtmp.message.RtmpDataMessage;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpUserControlEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.Map;

/**
 * Plays a hub stream to one RTMP client (the egress side of RTMP: hub frames to chunks): writes each frame's shared chunk run, and before
 * it, when the track changed, the track's sequence header.
 *
 * <p>The chunk runs of the frames of one drain are joined by the thread's
 * {@link EgressGatherer}, which shares the joined buffer with every player of the event loop
 * that received the same frames, so a player costs one write per drain however many frames
 * it got. The joined runs take a short cut: they are written from the {@link TrafficCounter}'s
 * context with the channel's void promise, so they skip the chunk encoder, the idle handler
 * and the counter's own {@code write} (the player counts their bytes and resets the encoder's
 * header compression itself), and {@link #onFlush()} flushes from there too. Messages of the
 * player's own (sequence headers, metadata, status) still go through the whole pipeline, after
 * the runs gathered before them are written; all writes happen on the event loop, so their
 * order is kept.
 *
 * <p>Thread-safety: the hub calls it on the channel's event loop.
 */
final class RtmpEgress implements StreamSubscriber {

    private final ChannelHandlerContext ctx;
    private final ChannelHandlerContext runCtx;
    private final TrafficCounter traffic;
    private final RtmpChunkEncoder encoder;
    private final EgressForm form;
    private Track video;
    private Track audio;
    private long lastMillis;
    private boolean published;

    /**
     * @param ctx     the connection handler's context
     * @param traffic the connection's counter; when it or a {@link RtmpChunkEncoder} is not in
     *                the pipeline, chunk runs take the whole pipeline
     * @param form    the server's shared chunk form for the connection's chunk size
     *                ({@link RtmpChunkForm#form})
     */
    RtmpEgress(ChannelHandlerContext ctx, TrafficCounter traffic, EgressForm form) {
        this.ctx = ctx;
        this.form = form;
        ChannelHandlerContext counterCtx = traffic != null ? ctx.pipeline().context(traffic) : null;
        RtmpChunkEncoder enc = ctx.pipeline().get(RtmpChunkEncoder.class);
        if (counterCtx != null && enc != null) {
            this.runCtx = counterCtx;
            this.traffic = traffic;
            this.encoder = enc;
        } else {
            this.runCtx = ctx;
            this.traffic = null;
            this.encoder = null;
        }
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    /** A socket writer: one write per merged-write window, not one per frame. */
    @Override
    public boolean batchesFrames() {
        return true;
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    /** The hub closed the subscription (a player that stopped reading): the connection ends. */
    @Override
    public void onEvicted(String reason) {
        ctx.close();
    }

    @Override
    public void onPublish(LiveStream stream) {
        writeGathered(EgressGatherer.current());
        video = null;
        audio = null;
        if (published) {
            // A new publisher after an unpublish: tell the player the stream restarts.
            ctx.write(RtmpUserControlEvent.streamBegin(RtmpChunkForm.STREAM_ID).toMessage(ctx.alloc(), 0));
            ctx.write(RtmpStatus.onStatus(ctx.alloc(), RtmpChunkForm.STREAM_ID, "status",
                    RtmpStatus.PLAY_PUBLISH_NOTIFY, stream.key().path() + " is now published."));
        }
        published = true;
    }

    @Override
    public void onMetadata(Map<String, Object> metadata) {
        writeGathered(EgressGatherer.current());
        RtmpDataMessage data = new RtmpDataMessage(RtmpDataMessage.ON_META_DATA, List.of(new AmfEcmaArray(metadata)));
        ctx.write(data.toMessage(ctx.alloc(), RtmpChunkForm.STREAM_ID, lastMillis));
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
                writeGathered(EgressGatherer.current());
                int type = RtmpChunkForm.messageType(frame);
                ctx.write(new RtmpMessage(type, RtmpChunkForm.STREAM_ID, millis, RtmpChunkForm.chunkStreamId(type), header));
            }
        }
        EgressGatherer gatherer = EgressGatherer.current();
        if (!gatherer.add(this, form, frame, ctx.alloc())) {
            writeGathered(gatherer);
            gatherer.add(this, form, frame, ctx.alloc());
        }
    }

    /** Writes the chunk runs gathered since the last write, joined, as one message. */
    private void writeGathered(EgressGatherer gatherer) {
        ByteBuf runs = gatherer.take(this);
        if (runs == null) {
            return;
        }
        int length = runs.readableBytes();
        if (length == 0) {
            runs.release();
            return;
        }
        if (traffic != null) {
            traffic.countOut(length);
            encoder.resetHeaderCompression();
        }
        runCtx.write(runs, runCtx.voidPromise());
    }

    @Override
    public void onFlush() {
        writeGathered(EgressGatherer.current());
        runCtx.flush();
    }

    @Override
    public void onUnpublish(LiveStream stream) {
        writeGathered(EgressGatherer.current());
        ctx.write(RtmpUserControlEvent.streamEof(RtmpChunkForm.STREAM_ID).toMessage(ctx.alloc(), 0));
        ctx.writeAndFlush(RtmpStatus.onStatus(ctx.alloc(), RtmpChunkForm.STREAM_ID, "status",
                RtmpStatus.PLAY_UNPUBLISH_NOTIFY, stream.key().path() + " is now unpublished."));
    }
}

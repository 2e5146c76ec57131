package io.livehub.rtmp.client;

import io.livehub.flv.FlvMediaEncoder;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.rtmp.amf.AmfEcmaArray;
import io.livehub.rtmp.chunk.RtmpChunkStreamIds;
import io.livehub.rtmp.message.RtmpDataMessage;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one stream to an RTMP server after {@code NetStream.Publish.Start} (RTMP spec
 * §7.2.2.6): frames become audio and video messages (§7.1.5, §7.1.4) in FLV tag body form, legacy
 * for H.264, AAC and MP3 and Enhanced RTMP v2 for H.265, AV1, VP9 and Opus, preceded by a
 * sequence header whenever a frame's {@link Track} object differs from the last one of its kind,
 * as the server's players do.
 *
 * <p>Flow control: when more than {@link RtmpClientConfig#writeBufferWaterMark()}'s high mark is
 * waiting for the socket (the server or the network is slower than the stream), {@link #send}
 * drops frames instead of queueing them, and counts them in {@link #droppedFrames()}. Once the
 * channel is writable again it resumes at the next video keyframe (audio resumes with it; an
 * audio-only stream resumes at once), so the server never receives a frame whose reference
 * frames were dropped. A producer that must not lose frames checks {@link #isWritable()} and
 * waits; a live source usually just sends.
 *
 * <p>Thread-safety: every method may be called from any thread. Work is handed to the
 * connection's event loop ({@link #executor()}) in call order; calls made on that event loop run
 * at once. Calls from other threads queue on the event loop without a bound, so a producer that
 * is faster than real time should pace itself or watch {@link #isWritable()}.
 */
public final class RtmpPublishSession extends RtmpClientSession {

    private static final Logger log = LoggerFactory.getLogger(RtmpPublishSession.class);

    private final Runnable flushTask = this::flushNow;
    private volatile long sentFrames;
    private volatile long droppedFrames;

    // Event loop state.
    private Track video;
    private Track audio;
    private boolean sawVideo;
    private boolean dropping;
    private boolean flushScheduled;
    private boolean warnedUnsendable;

    RtmpPublishSession(Channel channel, RtmpUrl url) {
        super(channel, url);
    }

    /**
     * Returns whether a frame sent now would be written rather than dropped: the session is
     * open and the channel is below its write buffer high water mark.
     */
    public boolean isWritable() {
        return open && channel.isWritable();
    }

    /** Returns how many frames were written to the connection. */
    public long sentFrames() {
        return sentFrames;
    }

    /**
     * Returns how many frames were dropped: while the channel was not writable, after the
     * session closed, or because RTMP cannot carry them (a codec FLV has no form for, a
     * composition time beyond 24 bits).
     */
    public long droppedFrames() {
        return droppedFrames;
    }

    /**
     * Sends one frame: its track's sequence header first when the track changed, then the frame
     * as an audio, video or (for a data track) data message whose timestamp is the frame's dts in
     * milliseconds modulo 2^32. See the class notes for what happens when the connection is
     * slower than the frames.
     *
     * <p>Ownership: takes the frame's reference; the session releases it, also when it drops
     * the frame.
     */
    public void send(MediaFrame frame) {
        Objects.requireNonNull(frame, "frame");
        EventExecutor loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            write(frame);
            return;
        }
        try {
            loop.execute(() -> write(frame));
        } catch (RejectedExecutionException e) {
            frame.release();
        }
    }

    private void write(MediaFrame frame) {
        try {
            if (!open) {
                droppedFrames++;
                return;
            }
            boolean isVideo = frame.isVideo();
            sawVideo |= isVideo;
            if (!channel.isWritable()) {
                dropping = true;
                droppedFrames++;
                return;
            }
            if (dropping) {
                if (sawVideo && !(isVideo && frame.isKeyframe())) {
                    droppedFrames++;
                    return;
                }
                dropping = false;
            }
            Track track = frame.track();
            int type = messageType(track);
            int csid = chunkStreamId(type);
            long timestamp = frame.dtsMillis() & 0xFFFF_FFFFL;
            ByteBuf body = FlvMediaEncoder.encodeBody(frame, channel.alloc());
            if (track.kind() == TrackKind.VIDEO ? track != video : track.kind() == TrackKind.AUDIO && track != audio) {
                if (track.kind() == TrackKind.VIDEO) {
                    video = track;
                } else {
                    audio = track;
                }
                ByteBuf header = FlvMediaEncoder.encodeSequenceHeader(track, channel.alloc());
                if (header != null) {
                    channel.write(new RtmpMessage(type, streamId(), timestamp, csid, header), channel.voidPromise());
                }
            }
            channel.write(new RtmpMessage(type, streamId(), timestamp, csid, body), channel.voidPromise());
            sentFrames++;
            scheduleFlush();
        } catch (RuntimeException e) {
            droppedFrames++;
            if (!warnedUnsendable) {
                warnedUnsendable = true;
                log.warn("publishing to {}: dropping a frame RTMP cannot carry ({}); further ones are only counted",
                        url(), e.toString());
            }
        } finally {
            frame.release();
        }
    }

    /**
     * Sends metadata as {@code @setDataFrame("onMetaData", values)} (RTMP spec §7.1.2), which the
     * server keeps and gives every player as {@code onMetaData}. The values are copied at once;
     * they may be numbers, booleans, strings, maps and lists (AMF0 types).
     */
    public void metadata(Map<String, ?> values) {
        AmfEcmaArray copy = new AmfEcmaArray(Objects.requireNonNull(values, "values"));
        EventExecutor loop = channel.eventLoop();
        Runnable task = () -> {
            if (!open) {
                return;
            }
            RtmpDataMessage data = new RtmpDataMessage(RtmpDataMessage.SET_DATA_FRAME,
                    List.of(RtmpDataMessage.ON_META_DATA, copy));
            channel.write(data.toMessage(channel.alloc(), streamId(), 0), channel.voidPromise());
            scheduleFlush();
        };
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                // The connection is gone with its event loop.
            }
        }
    }

    /**
     * Stops publishing: writes what was sent before, then {@code FCUnpublish} and
     * {@code deleteStream} (RTMP spec §7.2.2.3), and closes the connection. Frames sent after
     * this call are dropped. Idempotent.
     *
     * @return a stage that completes when the connection is closed, however it ended
     */
    @Override
    public CompletionStage<Void> close() {
        Runnable task = () -> {
            open = false;
            handler.requestClose();
        };
        EventExecutor loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down and closes the channel itself.
            }
        }
        return closed;
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            // Runs after the tasks already queued, so a burst of frames is flushed once.
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
    }

    private static int messageType(Track track) {
        return switch (track.kind()) {
            case VIDEO -> RtmpMessageType.VIDEO;
            case AUDIO -> RtmpMessageType.AUDIO;
            default -> RtmpMessageType.AMF0_DATA;
        };
    }

    private static int chunkStreamId(int messageType) {
        return switch (messageType) {
            case RtmpMessageType.VIDEO -> RtmpChunkStreamIds.VIDEO;
            case RtmpMessageType.AUDIO -> RtmpChunkStreamIds.AUDIO;
            default -> RtmpChunkStreamIds.STREAM;
        };
    }
}

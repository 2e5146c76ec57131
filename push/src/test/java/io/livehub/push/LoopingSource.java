package io.livehub.push;

import io.livehub.hub.Publication;
import io.livehub.hub.StreamHub;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.testing.FlvFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a real H.264 + AAC clip (core's h264_aac.flv, 160x120, about 1 s with one keyframe)
 * to a hub in a loop at real time, as a live encoder would, until closed.
 */
final class LoopingSource implements AutoCloseable {

    private final FlvFrames clip;
    private final ByteBuf filler;
    private final List<MediaFrame> frames;
    private final long clipMillis;
    private final Publication publication;
    private final ScheduledFuture<?> timer;
    private final long startNanos = System.nanoTime();
    private int index;
    private long loopOffset;
    private volatile long videoFrames;

    LoopingSource(StreamHub hub, StreamKey key, EventExecutor executor) throws java.io.IOException {
        this(hub, key, executor, 0);
    }

    /**
     * Publishes the clip with {@code padding} bytes of H.264 filler data (NAL type 12, ITU-T
     * H.264 7.3.2.7) added to every video frame, for a stream of a realistic bitrate: 25 fps ×
     * 20 KB is 4 Mbit/s.
     */
    LoopingSource(StreamHub hub, StreamKey key, EventExecutor executor, int padding) throws java.io.IOException {
        if (padding > 0) {
            byte[] nal = new byte[4 + padding];
            int n = padding;
            nal[0] = (byte) (n >>> 24);
            nal[1] = (byte) (n >>> 16);
            nal[2] = (byte) (n >>> 8);
            nal[3] = (byte) n;
            nal[4] = 0x0C;
            java.util.Arrays.fill(nal, 5, nal.length - 1, (byte) 0xFF);
            nal[nal.length - 1] = (byte) 0x80;
            filler = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(nal).asReadOnly());
        } else {
            filler = null;
        }
        clip = FlvFrames.read("h264_aac.flv");
        frames = clip.frames;
        long first = frames.get(0).dtsMillis();
        long last = frames.get(frames.size() - 1).dtsMillis();
        clipMillis = last - first + 40;
        publication = hub.publish(key, executor, "looping-source");
        publication.metadata(Map.of("width", 160.0, "height", 120.0, "encoder", "livehub-test"));
        timer = executor.scheduleAtFixedRate(this::tick, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** Returns how many video frames were published. */
    long videoFrames() {
        return videoFrames;
    }

    Track track(TrackKind kind) {
        return clip.track(kind);
    }

    private void tick() {
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
        long first = frames.get(0).dtsMillis();
        while (true) {
            MediaFrame f = frames.get(index);
            long at = loopOffset + f.dtsMillis() - first;
            if (at > elapsed) {
                return;
            }
            long ticks = Timebase.MILLIS.rescale(loopOffset, f.track().timebase());
            MediaFrame out = filler != null && f.isVideo()
                    ? f.replace(Unpooled.wrappedBuffer(f.content().retainedDuplicate(), filler.duplicate()))
                    : f.retainedDuplicate();
            publication.publish(out.withTimestamps(f.dts() + ticks, f.pts() + ticks));
            if (f.isVideo()) {
                videoFrames++;
            }
            if (++index == frames.size()) {
                index = 0;
                loopOffset += clipMillis;
            }
        }
    }

    @Override
    public void close() {
        timer.cancel(false);
        publication.close();
        publication.executor().submit(() -> { }).awaitUninterruptibly(1, TimeUnit.SECONDS);
        clip.close();
    }
}

package io.livehub.push;

import io.livehub.hub.Publication;
import io.livehub.hub.StreamHub;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.testing.FlvFrames;
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
    private final List<MediaFrame> frames;
    private final long clipMillis;
    private final Publication publication;
    private final ScheduledFuture<?> timer;
    private final long startNanos = System.nanoTime();
    private int index;
    private long loopOffset;
    private volatile long videoFrames;

    LoopingSource(StreamHub hub, StreamKey key, EventExecutor executor) throws java.io.IOException {
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
            publication.publish(f.retainedDuplicate().withTimestamps(f.dts() + ticks, f.pts() + ticks));
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

package io.livehub.push;

import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamSubscriber;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a destination server's hub delivers for one stream. */
final class FrameCollector implements StreamSubscriber {

    record Got(boolean video, long dtsMillis, boolean keyframe, Track track) {
    }

    final List<Got> frames = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> metadata = new CopyOnWriteArrayList<>();
    volatile int publishes;
    private final EventExecutor executor;

    FrameCollector(EventExecutor executor) {
        this.executor = executor;
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public void onPublish(LiveStream stream) {
        publishes++;
    }

    @Override
    public void onMetadata(Map<String, Object> md) {
        metadata.add(md);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        frames.add(new Got(frame.isVideo(), frame.dtsMillis(), frame.isKeyframe(), frame.track()));
    }

    long video() {
        return frames.stream().filter(Got::video).count();
    }

    long audio() {
        return frames.stream().filter(g -> !g.video()).count();
    }
}

package io.livehub.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Records what a played stream delivers, copying frame payloads so that nothing is retained,
 * and lets the test thread wait for it.
 */
final class FrameCollector implements RtmpPlayListener {

    /** One received frame, payload copied. */
    record Frame(Track track, long dts, long pts, boolean keyframe, byte[] payload) {
        CodecId codec() {
            return track.codec();
        }

        boolean isVideo() {
            return track.kind() == io.livehub.media.TrackKind.VIDEO;
        }
    }

    final List<Track> tracks = new ArrayList<>();
    final List<Frame> frames = new ArrayList<>();
    final List<Map<String, Object>> metadata = new ArrayList<>();
    final List<String> statuses = new ArrayList<>();
    int unpublishes;
    boolean closed;
    Throwable closeCause;
    boolean onEventLoop = true;
    RtmpPlaySession session;

    @Override
    public synchronized void onMetadata(Map<String, Object> values) {
        metadata.add(Map.copyOf(values));
    }

    @Override
    public synchronized void onTrack(Track track) {
        tracks.add(track);
    }

    @Override
    public synchronized void onFrame(MediaFrame f) {
        frames.add(new Frame(f.track(), f.dts(), f.pts(), f.isKeyframe(), ByteBufUtil.getBytes(f.content())));
    }

    @Override
    public synchronized void onStatus(String level, String code, String description) {
        statuses.add(code);
    }

    @Override
    public synchronized void onUnpublish() {
        unpublishes++;
    }

    @Override
    public synchronized void onClose(Throwable cause) {
        closed = true;
        closeCause = cause;
    }

    synchronized List<Frame> frames() {
        return new ArrayList<>(frames);
    }

    synchronized List<Frame> frames(CodecId codec) {
        return frames.stream().filter(f -> f.codec() == codec).toList();
    }

    synchronized List<Track> tracks() {
        return new ArrayList<>(tracks);
    }

    synchronized long count(CodecId codec) {
        return frames.stream().filter(f -> f.codec() == codec).count();
    }

    /** Waits until {@code cond} (evaluated under this collector's lock) holds. */
    void await(BooleanSupplier cond, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            synchronized (this) {
                if (cond.getAsBoolean()) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, what + " not seen within " + seconds + " s; got "
                        + frames.size() + " frames, tracks " + tracks + ", statuses " + statuses);
            }
            Thread.sleep(10);
        }
    }
}

package io.livehub.bench.hls;

import io.livehub.bench.load.ProbePublisher;
import io.livehub.bench.load.SeiTimestamp;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.rtmp.client.RtmpClient;
import io.livehub.rtmp.client.RtmpPublishSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes an H.264 + AAC FLV file over RTMP in real time, looping, with every video frame
 * stamped ({@link SeiTimestamp}: frame number and wall-clock send time, an SEI NAL unit first
 * in the frame), on a thread of its own: the source of the HLS benchmarks.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from one thread; sending runs on the
 * publisher's thread.
 *
 * <p>Ownership: the loaded frames are released by {@link #close}.
 */
final class StampedPublisher implements AutoCloseable {

    private final List<MediaFrame> frames;
    private final RtmpClient client = RtmpClient.create();
    private volatile boolean running = true;
    private Thread thread;
    private volatile long startNanos;

    StampedPublisher(Path flv) throws IOException {
        this.frames = ProbePublisher.load(flv);
    }

    /**
     * Starts publishing to {@code url}; returns once the RTMP publish was accepted. The publish
     * start time ({@link #startNanos()}) is taken before the RTMP connection is opened.
     */
    StampedPublisher start(String url) throws Exception {
        startNanos = System.nanoTime();
        RtmpPublishSession session = client.publish(url).toCompletableFuture().get(15, TimeUnit.SECONDS);
        thread = new Thread(() -> send(session), "hls-bench-publisher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Returns {@link System#nanoTime()} when publishing began. */
    long startNanos() {
        return startNanos;
    }

    private void send(RtmpPublishSession session) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (MediaFrame f : frames) {
            first = Math.min(first, f.dtsMillis());
            last = Math.max(last, f.dtsMillis());
        }
        long loopMillis = last - first + 40;
        long start = System.nanoTime();
        long sequence = 0;
        try {
            for (long offset = 0; running; offset += loopMillis) {
                for (MediaFrame f : frames) {
                    long due = start + TimeUnit.MILLISECONDS.toNanos(f.dtsMillis() - first + offset);
                    long now;
                    while (running && (now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                    if (!running || !session.isOpen()) {
                        return;
                    }
                    ByteBuf payload;
                    if (f.isVideo()) {
                        byte[] sei = SeiTimestamp.encode(sequence++, HlsLatencyProbe.nowMicros());
                        payload = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(sei), f.content().retainedDuplicate());
                    } else {
                        payload = f.content().retainedDuplicate();
                    }
                    long shift = Timebase.MILLIS.rescale(offset - first, f.track().timebase());
                    session.send(MediaFrame.of(f.track(), f.dts() + shift, f.pts() + shift, f.isKeyframe(), payload));
                }
            }
        } finally {
            session.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5000);
        }
        client.close();
        frames.forEach(MediaFrame::release);
    }
}

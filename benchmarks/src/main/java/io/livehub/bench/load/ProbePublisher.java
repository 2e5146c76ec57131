package io.livehub.bench.load;

import io.livehub.flv.FlvMediaDecoder;
import io.livehub.flv.FlvTag;
import io.livehub.flv.FlvTagDecoder;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.rtmp.client.RtmpClient;
import io.livehub.rtmp.client.RtmpPublishSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a pre-encoded H.264 + AAC FLV file over RTMP in real time, looping, and stamps
 * every video frame with its sequence number and the wall-clock time it was sent
 * ({@link SeiTimestamp}, an SEI NAL unit put first in the frame), so that {@link LoadClient}
 * players measure publish-to-play latency and dropped frames: the latency probe of the fan-out
 * benchmark.
 *
 * <p>The file is read once into memory ({@link FlvTagDecoder}, {@link FlvMediaDecoder}); each
 * loop sends its frames again with timestamps that continue from the last loop. Frames are
 * sent when the wall clock reaches their decode time, measured from the start.
 *
 * <pre>{@code
 * java -cp benchmarks.jar io.livehub.bench.load.ProbePublisher --file=probe.flv \
 *     --url=rtmp://127.0.0.1:1935/live/bench [--duration=600]
 * }</pre>
 *
 * <p>Thread-safety: {@link #main} paces and sends on the calling thread; the RTMP client
 * writes on its own event loop.
 */
public final class ProbePublisher {

    private static final String USAGE = String.join("\n",
            "Usage: java -cp benchmarks.jar io.livehub.bench.load.ProbePublisher --file=F.flv --url=rtmp://... [options]",
            "  --file=F         an H.264 + AAC FLV file (see benchmarks/scripts/make-probe-stream.sh)",
            "  --url=URL        rtmp://127.0.0.1:1935/live/bench",
            "  --duration=S     stop after S seconds (default 3600)",
            "  --retries=N      publish attempts, 0.5 s apart, while the server starts (default 20)");

    private ProbePublisher() {
    }

    /** Runs the publisher; exits 1 when it cannot publish or the server ends the session. */
    public static void main(String[] args) throws Exception {
        Path file = null;
        String url = null;
        long duration = 3600;
        int retries = 20;
        try {
            for (String a : args) {
                int eq = a.indexOf('=');
                if (!a.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
                String v = a.substring(eq + 1);
                switch (a.substring(2, eq)) {
                    case "file" -> file = Path.of(v);
                    case "url" -> url = v;
                    case "duration" -> duration = Long.parseLong(v);
                    case "retries" -> retries = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a.substring(0, eq));
                }
            }
            if (file == null || url == null || duration < 1 || retries < 1) {
                throw new IllegalArgumentException("--file and --url are required; duration and retries positive");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("probe: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        List<MediaFrame> frames = load(file);
        int status;
        try (RtmpClient client = RtmpClient.create()) {
            RtmpPublishSession session = connect(client, url, retries);
            status = session == null ? 1 : publish(session, frames, duration);
            if (session != null) {
                session.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
        } finally {
            frames.forEach(MediaFrame::release);
        }
        System.exit(status);
    }

    /** Reads the file's audio and video frames; the caller releases them. */
    public static List<MediaFrame> load(Path file) throws java.io.IOException {
        ByteBuf in = Unpooled.wrappedBuffer(Files.readAllBytes(file));
        FlvTagDecoder tags = new FlvTagDecoder();
        FlvMediaDecoder media = new FlvMediaDecoder();
        List<MediaFrame> frames = new ArrayList<>();
        FlvTag tag;
        while ((tag = tags.decode(in)) != null) {
            try {
                media.decode(tag, frames::add);
            } finally {
                tag.release();
            }
        }
        in.release();
        if (frames.stream().noneMatch(MediaFrame::isVideo)) {
            frames.forEach(MediaFrame::release);
            throw new IllegalArgumentException(file + " has no video frames the hub reads");
        }
        return frames;
    }

    private static RtmpPublishSession connect(RtmpClient client, String url, int retries) throws InterruptedException {
        for (int attempt = 1; attempt <= retries; attempt++) {
            try {
                return client.publish(url).toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (attempt == retries) {
                    System.err.println("probe: cannot publish to " + url + ": " + e.getMessage());
                    return null;
                }
                Thread.sleep(500);
            }
        }
        return null;
    }

    private static int publish(RtmpPublishSession session, List<MediaFrame> frames, long durationSeconds) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (MediaFrame f : frames) {
            first = Math.min(first, f.dtsMillis());
            last = Math.max(last, f.dtsMillis());
        }
        // One video frame interval after the last frame, so that loops do not overlap.
        long interval = videoInterval(frames);
        long loopMillis = last - first + interval;
        System.out.printf(Locale.ROOT, "probe: publishing %d frames (%.1f s loop) to %s%n", frames.size(),
                loopMillis / 1e3, session.url());
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(durationSeconds);
        long sequence = 0;
        long nextReport = start + TimeUnit.SECONDS.toNanos(10);
        for (long offset = 0; ; offset += loopMillis) {
            for (MediaFrame f : frames) {
                long millis = f.dtsMillis() - first + offset;
                long due = start + TimeUnit.MILLISECONDS.toNanos(millis);
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                if (now >= end) {
                    System.out.printf("probe: done after %d s%n", durationSeconds);
                    return 0;
                }
                if (!session.isOpen()) {
                    System.err.println("probe: the server ended the session");
                    return 1;
                }
                ByteBuf payload;
                if (f.isVideo()) {
                    byte[] sei = SeiTimestamp.encode(sequence++, PlayerStats.nowMicros());
                    payload = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(sei), f.content().retainedDuplicate());
                } else {
                    payload = f.content().retainedDuplicate();
                }
                long shift = Timebase.MILLIS.rescale(offset - first, f.track().timebase());
                session.send(MediaFrame.of(f.track(), f.dts() + shift, f.pts() + shift, f.isKeyframe(), payload));
                if (now >= nextReport) {
                    nextReport += TimeUnit.SECONDS.toNanos(10);
                    System.out.printf("probe: %d video frames sent, %d frames dropped by the client%n", sequence,
                            session.droppedFrames());
                }
            }
        }
    }

    private static long videoInterval(List<MediaFrame> frames) {
        long previous = -1;
        List<Long> gaps = new ArrayList<>();
        for (MediaFrame f : frames) {
            if (f.isVideo()) {
                if (previous >= 0 && f.dtsMillis() > previous) {
                    gaps.add(f.dtsMillis() - previous);
                }
                previous = f.dtsMillis();
            }
        }
        if (gaps.isEmpty()) {
            return 40;
        }
        gaps.sort(null);
        return gaps.get(gaps.size() / 2);
    }
}

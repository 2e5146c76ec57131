package io.livehub.examples.full;

import io.livehub.hub.HubConfig;
import io.livehub.rtmp.RtmpConfig;
import java.time.Duration;
import java.util.Map;

/**
 * The full example server's fan-out knobs: what decides the CPU, memory and latency per player
 * (measured in benchmarks/README.md). Each has a flag and an environment variable; unset means
 * the library's default.
 *
 * @param mergeWriteWindowMs {@code --merge-write-window=MS}, {@code LIVEHUB_MERGE_WRITE_WINDOW_MS}:
 *                           {@link HubConfig#mergeWriteWindow()}; 0 writes each frame at once
 *                           (lowest latency), larger values batch frames per system call
 * @param queueFrames        {@code --queue-frames=N}, {@code LIVEHUB_QUEUE_FRAMES}:
 *                           {@link HubConfig#subscriberQueueFrames()}, the frames a player may
 *                           fall behind before it drops to the next keyframe
 * @param chunkSize          {@code --chunk-size=N}, {@code LIVEHUB_CHUNK_SIZE}:
 *                           {@link RtmpConfig#chunkSize()}, the RTMP chunk size sent to players
 * @param workerThreads      {@code --worker-threads=N}, {@code LIVEHUB_WORKER_THREADS}: I/O
 *                           threads; 0 means Netty's default (twice the cores)
 * @param nativeTransport    {@code --native=true|false}, {@code LIVEHUB_NATIVE}: epoll where
 *                           available (default), or NIO
 * @param tcpNoDelay         {@code --tcp-nodelay=true|false}, {@code LIVEHUB_TCP_NODELAY}:
 *                           {@link RtmpConfig#tcpNoDelay()} on RTMP connections (default on)
 */
public record FanOutOptions(Long mergeWriteWindowMs, Integer queueFrames, Integer chunkSize, int workerThreads,
                            boolean nativeTransport, boolean tcpNoDelay) {

    /** The flags, without their leading {@code --}, that {@link #parse} reads. */
    static boolean isFlag(String name) {
        return switch (name) {
            case "merge-write-window", "queue-frames", "chunk-size", "worker-threads", "native", "tcp-nodelay" -> true;
            default -> false;
        };
    }

    static final String USAGE = String.join("\n",
            "  fan-out (see benchmarks/README.md for their measured effect):",
            "  --merge-write-window=MS  write players' frames at most every MS ms (env",
            "                     LIVEHUB_MERGE_WRITE_WINDOW_MS; default " + HubConfig.defaults().mergeWriteWindow().toMillis()
                    + "; 0 for the lowest latency)",
            "  --queue-frames=N   frames a player may lag before dropping to a keyframe (env",
            "                     LIVEHUB_QUEUE_FRAMES, default " + HubConfig.defaults().subscriberQueueFrames() + ")",
            "  --chunk-size=N     RTMP chunk size sent to players (env LIVEHUB_CHUNK_SIZE, default "
                    + RtmpConfig.builder().build().chunkSize() + ")",
            "  --worker-threads=N I/O threads (env LIVEHUB_WORKER_THREADS, default 0: twice the cores)",
            "  --native=B         epoll (true, default) or NIO (false) (env LIVEHUB_NATIVE)",
            "  --tcp-nodelay=B    TCP_NODELAY on RTMP connections (env LIVEHUB_TCP_NODELAY, default true)");

    /**
     * Reads the knobs from {@code flags} (flag name without {@code --} to value) over
     * {@code env}.
     *
     * @throws IllegalArgumentException with a message for the user when a value is wrong
     */
    static FanOutOptions parse(Map<String, String> flags, Map<String, String> env) {
        String window = flags.getOrDefault("merge-write-window", env.get("LIVEHUB_MERGE_WRITE_WINDOW_MS"));
        String queue = flags.getOrDefault("queue-frames", env.get("LIVEHUB_QUEUE_FRAMES"));
        String chunk = flags.getOrDefault("chunk-size", env.get("LIVEHUB_CHUNK_SIZE"));
        String workers = flags.getOrDefault("worker-threads", env.getOrDefault("LIVEHUB_WORKER_THREADS", "0"));
        String nat = flags.getOrDefault("native", env.getOrDefault("LIVEHUB_NATIVE", "true"));
        String noDelay = flags.getOrDefault("tcp-nodelay", env.getOrDefault("LIVEHUB_TCP_NODELAY", "true"));
        FanOutOptions o = new FanOutOptions(
                window == null ? null : (long) number("merge write window", window, 0, 10_000),
                queue == null ? null : number("queue frames", queue, 16, 1 << 20),
                chunk == null ? null : number("chunk size", chunk, 128, 65536),
                number("worker threads", workers, 0, 1024),
                bool("native", nat), bool("tcp-nodelay", noDelay));
        // Let the configs check combinations (e.g. the GOP cache must fit the queue).
        o.hubConfig();
        o.applyTo(RtmpConfig.builder()).build();
        return o;
    }

    /** Returns the hub configuration these options describe. */
    public HubConfig hubConfig() {
        HubConfig.Builder b = HubConfig.builder();
        if (mergeWriteWindowMs != null) {
            b.mergeWriteWindow(Duration.ofMillis(mergeWriteWindowMs));
        }
        if (queueFrames != null) {
            int gop = HubConfig.defaults().gopCacheFrames();
            b.subscriberQueueFrames(queueFrames).gopCacheFrames(Math.min(gop, queueFrames - 1));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fan-out options: " + e.getMessage());
        }
    }

    /** Sets the RTMP knobs on {@code b} and returns it. */
    public <B extends RtmpConfig.Settings<B>> B applyTo(B b) {
        if (chunkSize != null) {
            b.chunkSize(chunkSize);
        }
        return b.tcpNoDelay(tcpNoDelay);
    }

    private static int number(String what, String v, int min, int max) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number from " + min + " to " + max + ", not '" + v + "'");
        }
    }

    private static boolean bool(String what, String v) {
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(what + " must be true or false, not '" + v + "'");
        };
    }
}

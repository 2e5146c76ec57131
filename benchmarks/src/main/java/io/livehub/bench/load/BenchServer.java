package io.livehub.bench.load;

import io.livehub.MediaServer;
import io.livehub.http.HttpServerConfig;
import io.livehub.hub.HubConfig;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpConfig;
import io.livehub.rtmp.RtmpModule;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a Livehub server for the fan-out benchmark (RTMP and HTTP-FLV, like the full example
 * server, without its listener's log lines) with the knobs that matter for fan-out set from the
 * command line, so that their effect can be measured:
 *
 * <ul>
 *   <li>{@code --merge-write-window=MS}: {@link HubConfig#mergeWriteWindow()} (the library's
 *       default when not given)</li>
 *   <li>{@code --queue-frames=N}: {@link HubConfig#subscriberQueueFrames()} (the GOP cache
 *       bound shrinks to fit)</li>
 *   <li>{@code --max-drain-batch=N}: {@link HubConfig#maxDrainBatch()}</li>
 *   <li>{@code --chunk-size=N}: {@link RtmpConfig#chunkSize()}, 4096 by default</li>
 *   <li>{@code --worker-threads=N}: I/O threads; 0 (the default) means twice the cores</li>
 *   <li>{@code --native=false}: NIO instead of epoll</li>
 *   <li>{@code --tcp-nodelay=false}: {@link RtmpConfig#tcpNoDelay()} off (on by default)</li>
 * </ul>
 *
 * <p>Binds {@code --host} (127.0.0.1 by default), {@code --rtmp-port} (1935) and
 * {@code --http-port} (8080); runs until the process is stopped.
 *
 * <p>Thread-safety: {@link #main} only; the server runs on its own threads.
 */
public final class BenchServer {

    private BenchServer() {
    }

    /** Starts the server and waits until the process is stopped. */
    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int rtmpPort = 1935;
        int httpPort = 8080;
        HubConfig.Builder hub = HubConfig.builder();
        RtmpModule.Builder rtmp = RtmpModule.builder();
        int workers = 0;
        boolean nativeTransport = true;
        try {
            for (String a : args) {
                int eq = a.indexOf('=');
                if (!a.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
                String v = a.substring(eq + 1);
                switch (a.substring(2, eq)) {
                    case "host" -> host = v;
                    case "rtmp-port" -> rtmpPort = Integer.parseInt(v);
                    case "http-port" -> httpPort = Integer.parseInt(v);
                    case "merge-write-window" -> hub.mergeWriteWindow(Duration.ofMillis(Long.parseLong(v)));
                    case "queue-frames" -> {
                        // The GOP cache must fit in a fresh queue.
                        int frames = Integer.parseInt(v);
                        hub.subscriberQueueFrames(frames)
                                .gopCacheFrames(Math.min(HubConfig.defaults().gopCacheFrames(), frames - 1));
                    }
                    case "max-drain-batch" -> hub.maxDrainBatch(Integer.parseInt(v));
                    case "chunk-size" -> rtmp.chunkSize(Integer.parseInt(v));
                    case "worker-threads" -> workers = Integer.parseInt(v);
                    case "native" -> nativeTransport = Boolean.parseBoolean(v);
                    case "tcp-nodelay" -> rtmp.tcpNoDelay(Boolean.parseBoolean(v));
                    default -> throw new IllegalArgumentException("unknown option " + a.substring(0, eq));
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        HubConfig hubConfig = hub.build();
        MediaServer server = MediaServer.builder()
                .http(HttpServerConfig.builder().host(host).port(httpPort).build())
                .module(rtmp.host(host).port(rtmpPort).build())
                .module(HttpFlvModule.builder().build())
                .hub(hubConfig)
                .workerThreads(workers)
                .nativeTransport(nativeTransport)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "bench-server-shutdown"));
        System.out.printf("bench-server: RTMP on %s:%d, HTTP on %s:%d, merge-write-window %d ms, "
                        + "worker threads %s, native %s%n", host, server.port("rtmp"), host, server.port("http"),
                hubConfig.mergeWriteWindow().toMillis(), workers == 0 ? "2 x cores" : workers, nativeTransport);
        stopped.await();
    }
}

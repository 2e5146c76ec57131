package io.livehub.bench.srt;

import io.livehub.MediaServer;
import io.livehub.srt.SrtModule;
import java.time.Duration;

/**
 * Runs a Livehub server with only the SRT module, for the receive throughput benchmark: each
 * publisher's MPEG-TS is received, demuxed and published to the hub, as in production.
 *
 * <p>Options: {@code --host=127.0.0.1}, {@code --port=10080}, {@code --latency=MS} (120),
 * {@code --worker-threads=N} (0: twice the cores), {@code --native=false} for NIO. Runs until
 * the process is stopped.
 *
 * <p>Thread-safety: {@link #main} only.
 */
public final class SrtBenchServer {

    private SrtBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 10080;
        int latency = 120;
        int workers = 0;
        boolean nativeTransport = true;
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                System.err.println("srt-bench-server: unexpected argument '" + a + "'");
                System.exit(2);
            }
            String v = a.substring(eq + 1);
            switch (a.substring(2, eq)) {
                case "host" -> host = v;
                case "port" -> port = Integer.parseInt(v);
                case "latency" -> latency = Integer.parseInt(v);
                case "worker-threads" -> workers = Integer.parseInt(v);
                case "native" -> nativeTransport = Boolean.parseBoolean(v);
                default -> {
                    System.err.println("srt-bench-server: unknown option " + a.substring(0, eq));
                    System.exit(2);
                }
            }
        }
        MediaServer server = MediaServer.builder().httpPort(-1)
                .module(SrtModule.builder().host(host).port(port).latency(Duration.ofMillis(latency)).build())
                .workerThreads(workers)
                .nativeTransport(nativeTransport)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("srt-bench-server: srt://" + host + ":" + server.port("srt") + " pid "
                + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }
}

package io.livehub.bench.srt;

import io.livehub.MediaServer;
import io.livehub.srt.SrtModule;
import io.livehub.srt.SrtPayloadDemuxer;
import io.livehub.srt.SrtPayloadFormat;
import io.livehub.srt.SrtPayloadMuxer;
import io.livehub.srt.TsPayloadFormat;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a Livehub server with only the SRT module, for the receive throughput benchmark: each
 * publisher's MPEG-TS is received, demuxed and published to the hub, as in production.
 *
 * <p>Options: {@code --host=127.0.0.1}, {@code --port=10080}, {@code --latency=MS} (120),
 * {@code --worker-threads=N} (0: twice the cores), {@code --native=false} for NIO,
 * {@code --payload=discard} to count and drop the payloads instead of demuxing them (the SRT
 * transport alone, as {@code srt-live-transmit} writing to {@code /dev/null} does). Runs until
 * the process is stopped.
 *
 * <p>Thread-safety: {@link #main} only.
 */
public final class SrtBenchServer {

    /** Counts payload bytes and drops them: no frames reach the hub. */
    static final SrtPayloadFormat DISCARD = new SrtPayloadFormat() {
        @Override
        public SrtPayloadDemuxer newDemuxer() {
            return (payload, out) -> RECEIVED.addAndGet(payload.readableBytes());
        }

        @Override
        public SrtPayloadMuxer newMuxer(int payloadSize, io.livehub.media.EgressForms forms) {
            return (frame, out) -> { };
        }
    };
    static final AtomicLong RECEIVED = new AtomicLong();

    private SrtBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 10080;
        int latency = 120;
        int workers = 0;
        boolean nativeTransport = true;
        SrtPayloadFormat format = TsPayloadFormat.INSTANCE;
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
                case "payload" -> format = "discard".equals(v) ? DISCARD : TsPayloadFormat.INSTANCE;
                default -> {
                    System.err.println("srt-bench-server: unknown option " + a.substring(0, eq));
                    System.exit(2);
                }
            }
        }
        MediaServer server = MediaServer.builder().httpPort(-1)
                .module(SrtModule.builder().host(host).port(port).latency(Duration.ofMillis(latency))
                        .payloadFormat(format).build())
                .workerThreads(workers)
                .nativeTransport(nativeTransport)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("srt-bench-server: srt://" + host + ":" + server.port("srt") + " pid "
                + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }
}

package io.livehub.bench.srt;

import io.livehub.bench.load.ProcStats;
import io.livehub.srt.SrtCaller;
import io.livehub.srt.SrtConfig;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.SrtConnectionStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Pushes an MPEG-TS file, in a loop, over SRT with Livehub's caller at a fixed rate, and
 * measures what a receiver process costs: CPU seconds (utime + stime from {@code /proc/PID/stat})
 * of the processes given with {@code --pids}, over the measurement window, per Gbit sent.
 *
 * <p>Options: {@code --url=srt://host:port?streamid=ID} (required), {@code --ts=FILE}
 * (required), {@code --mbps=100}, {@code --seconds=20}, {@code --warmup=5},
 * {@code --latency=120}, {@code --maxbw=BYTES_PER_S} (0: pace at the input rate + 25%),
 * {@code --pids=PID[,PID...]}. Prints {@code key=value} lines.
 *
 * <p>Thread-safety: {@link #main} only; sending runs on the connection's event loop.
 */
public final class SrtFeeder {

    private static final int PAYLOAD = 1316;
    /** SRT, UDP and IPv4 headers per packet, counted in the wire rate. */
    private static final int HEADERS = 44;

    private SrtFeeder() {
    }

    public static void main(String[] args) throws Exception {
        URI url = null;
        Path ts = null;
        double mbps = 100;
        int seconds = 20;
        int warmup = 5;
        int latency = 120;
        long maxBandwidth = 0;
        List<Long> pids = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String v = a.substring(eq + 1);
            switch (a.substring(2, eq)) {
                case "url" -> url = URI.create(v);
                case "ts" -> ts = Path.of(v);
                case "mbps" -> mbps = Double.parseDouble(v);
                case "seconds" -> seconds = Integer.parseInt(v);
                case "warmup" -> warmup = Integer.parseInt(v);
                case "latency" -> latency = Integer.parseInt(v);
                case "maxbw" -> maxBandwidth = Long.parseLong(v);
                case "pids" -> {
                    for (String p : v.split(",")) {
                        pids.add(Long.parseLong(p.trim()));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (url == null || ts == null) {
            System.err.println("usage: SrtFeeder --url=srt://host:port?streamid=ID --ts=FILE [--mbps=100]"
                    + " [--seconds=20] [--warmup=5] [--latency=120] [--pids=PID,...]");
            System.exit(2);
        }
        byte[] file = Files.readAllBytes(ts);
        int packets = file.length / PAYLOAD;
        String streamId = null;
        if (url.getRawQuery() != null) {
            for (String kv : url.getRawQuery().split("&")) {
                if (kv.startsWith("streamid=")) {
                    streamId = java.net.URLDecoder.decode(kv.substring(9), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        SrtConfig config = SrtConfig.builder().latency(Duration.ofMillis(latency)).maxBandwidth(maxBandwidth).build();
        SrtConnection c = SrtCaller.connect(config, group, type, new InetSocketAddress(url.getHost(), url.getPort()),
                streamId, new SrtConnectionHandler() {
                    @Override
                    public void onPayload(SrtConnection connection, ByteBuf payload) {
                    }
                }).get(10, TimeUnit.SECONDS);

        double perNano = mbps * 1e6 / 8 / (PAYLOAD + HEADERS) / 1e9;
        long start = System.nanoTime();
        long[] sent = {0};
        ScheduledFuture<?> pump = c.executor().scheduleAtFixedRate(() -> {
            long due = (long) ((System.nanoTime() - start) * perNano);
            while (sent[0] < due && c.isOpen()) {
                int at = (int) (sent[0] % packets) * PAYLOAD;
                c.send(Unpooled.wrappedBuffer(file, at, PAYLOAD));
                sent[0]++;
            }
        }, 0, 1, TimeUnit.MILLISECONDS);

        Thread.sleep(warmup * 1000L);
        ProcStats.Sample cpu0 = ProcStats.sample(pids);
        SrtConnectionStats s0 = c.stats();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        ProcStats.Sample cpu1 = ProcStats.sample(pids);
        SrtConnectionStats s1 = c.stats();
        long t1 = System.nanoTime();
        pump.cancel(false);
        CountDownLatch closed = new CountDownLatch(1);
        c.closeFuture().addListener(f -> closed.countDown());
        c.close();
        closed.await(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();

        double secs = (t1 - t0) / 1e9;
        long pkts = s1.packetsSent() - s0.packetsSent();
        double payloadBits = pkts * (double) PAYLOAD * 8;
        double wireBits = (s1.bytesSent() - s0.bytesSent() + (pkts + s1.packetsRetransmitted()
                - s0.packetsRetransmitted()) * 28.0) * 8;
        double cpuSeconds = (cpu1.cpuTicks() - cpu0.cpuTicks()) / 100.0;
        System.out.printf(Locale.ROOT, "target_mbps=%.1f%n", mbps);
        System.out.printf(Locale.ROOT, "payload_mbps=%.1f%n", payloadBits / secs / 1e6);
        System.out.printf(Locale.ROOT, "wire_mbps=%.1f%n", wireBits / secs / 1e6);
        System.out.printf(Locale.ROOT, "packets_sent=%d%n", pkts);
        System.out.printf(Locale.ROOT, "packets_retransmitted=%d%n", s1.packetsRetransmitted() - s0.packetsRetransmitted());
        System.out.printf(Locale.ROOT, "packets_send_dropped=%d%n", s1.packetsSendDropped() - s0.packetsSendDropped());
        System.out.printf(Locale.ROOT, "rtt_us=%d%n", s1.rttMicros());
        if (!pids.isEmpty()) {
            System.out.printf(Locale.ROOT, "receiver_cpu_s=%.2f%n", cpuSeconds);
            System.out.printf(Locale.ROOT, "receiver_cpu_percent=%.1f%n", cpuSeconds / secs * 100);
            System.out.printf(Locale.ROOT, "receiver_cpu_s_per_gbit=%.2f%n", cpuSeconds / (payloadBits / 1e9));
            System.out.printf(Locale.ROOT, "receiver_rss_mib=%d%n", cpu1.rssKib() / 1024);
        }
    }
}

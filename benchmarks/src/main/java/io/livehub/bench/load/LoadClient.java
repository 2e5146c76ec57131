package io.livehub.bench.load;

import io.livehub.rtmp.chunk.RtmpChunkEncoder;
import io.livehub.rtmp.client.RtmpUrl;
import io.livehub.rtmp.handshake.RtmpClientHandshakeHandler;
import io.livehub.rtmp.handshake.RtmpHandshakeConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.livehub.srt.SrtCaller;
import io.livehub.srt.SrtConfig;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens N RTMP, HTTP-FLV or SRT players against one stream on a small shared event loop group and
 * measures what they receive: the load client of the fan-out benchmark.
 *
 * <p>A run opens the players at a fixed rate, waits until each plays or fails, lets them settle,
 * then measures for a fixed window: players playing, failed and lost, messages and bytes, Mbit/s,
 * video frames per player, timestamp regressions, players that started on a non-keyframe,
 * dropped frames and publish-to-play latency from the probe's stamps ({@link SeiTimestamp},
 * published by {@link ProbePublisher}), and, for the processes given with
 * {@code --server-pids}, CPU seconds and resident memory from {@code /proc}. It prints a line
 * per second and a summary, optionally also as {@code key=value} lines for scripts, closes every
 * player and exits. The run's length is bounded by its settings.
 *
 * <p>Players track chunk or tag headers only and keep the first bytes of each frame, so a player
 * costs a few KiB beside its socket; see {@link RtmpChunkScanner} and {@link FlvTagScanner}.
 *
 * <p>Thread-safety: {@link #main} runs the ramp and the window on the calling thread; the
 * players run on the event loops and add to one {@link LoadStats}.
 */
public final class LoadClient {

    private final LoadClientOptions options;
    private final LoadStats stats = new LoadStats();
    private final List<Channel> channels = new ArrayList<>();
    private final List<SrtLoadPlayer> srtPlayers = new ArrayList<>();
    private Class<? extends DatagramChannel> datagramType = NioDatagramChannel.class;
    private final PrintStream out;

    LoadClient(LoadClientOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the load client; see {@link LoadClientOptions#USAGE} for the arguments. */
    public static void main(String[] args) throws Exception {
        LoadClientOptions options;
        try {
            options = LoadClientOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!"help".equals(e.getMessage())) {
                System.err.println("loadclient: " + e.getMessage());
            }
            System.err.println(LoadClientOptions.USAGE);
            System.exit(2);
            return;
        }
        int status = new LoadClient(options, System.out).run();
        System.exit(status);
    }

    /** Runs one load run and returns the exit status: 0, or 3 when no player played. */
    int run() throws Exception {
        boolean epoll = switch (options.transport()) {
            case "epoll" -> true;
            case "nio" -> false;
            default -> Epoll.isAvailable();
        };
        EventLoopGroup group = epoll
                ? new EpollEventLoopGroup(options.threads(), new DefaultThreadFactory("loadclient", true))
                : new NioEventLoopGroup(options.threads(), new DefaultThreadFactory("loadclient", true));
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadclient-report");
            t.setDaemon(true);
            return t;
        });
        datagramType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        try {
            return measure(group, epoll ? EpollSocketChannel.class : NioSocketChannel.class, reporter);
        } finally {
            reporter.shutdownNow();
            for (SrtLoadPlayer p : srtPlayers) {
                p.stopping();
            }
            for (Channel ch : channels) {
                PlayerHandler h = ch.pipeline().get(PlayerHandler.class);
                if (h != null) {
                    h.stopping();
                }
                ch.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private int measure(EventLoopGroup group, Class<? extends Channel> channelType, ScheduledExecutorService reporter)
            throws Exception {
        ProcStats.Sample idle = ProcStats.sample(options.serverPids());
        long startNanos = System.nanoTime();
        LoadStats.Snapshot[] last = {stats.snapshot()};
        if (!options.quiet()) {
            reporter.scheduleAtFixedRate(() -> {
                LoadStats.Snapshot now = stats.snapshot();
                report(startNanos, now, now.minus(last[0]));
                last[0] = now;
            }, 1, 1, TimeUnit.SECONDS);
        }
        out.printf(Locale.ROOT, "loadclient: %d %s players of %s, %.0f/s, %d event loop thread(s), %s%n",
                options.players(), options.srt() ? "SRT" : options.rtmp() ? "RTMP" : "HTTP-FLV", options.url(),
                options.rampPerSecond(),
                options.threads(), (options.srt() ? datagramType : channelType).getSimpleName());

        // Ramp.
        Bootstrap bootstrap = options.srt() ? null : bootstrap(group, channelType);
        String host = options.url().getHost();
        int port = options.url().getPort() > 0 ? options.url().getPort()
                : options.srt() ? 10080 : options.rtmp() ? 1935 : 80;
        SrtConfig srtConfig = SrtConfig.builder().handshakeTimeout(Duration.ofMillis(options.playTimeoutMillis()))
                .build();
        for (int i = 0; i < options.players(); i++) {
            long due = startNanos + (long) (i * 1e9 / options.rampPerSecond());
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            stats.started.increment();
            if (options.srt()) {
                SrtLoadPlayer player = new SrtLoadPlayer(stats, options.playTimeoutMillis());
                srtPlayers.add(player);
                SrtCaller.connect(srtConfig, group, datagramType, new InetSocketAddress(host, port),
                        options.srtStreamId(), player).addListener(done -> {
                            if (!done.isSuccess()) {
                                player.connectFailed(done.cause());
                            }
                        });
                continue;
            }
            ChannelFuture f = bootstrap.connect(host, port);
            channels.add(f.channel());
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    stats.failed.increment();
                }
            });
        }

        // Wait until every player plays or failed, bounded by the play timeout.
        long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.playTimeoutMillis() + 2000);
        while (System.nanoTime() < waitUntil) {
            LoadStats.Snapshot s = stats.snapshot();
            if (s.playing() + s.failed() >= options.players()) {
                break;
            }
            Thread.sleep(50);
        }
        LoadStats.Snapshot ready = stats.snapshot();
        out.printf(Locale.ROOT, "loadclient: %d playing, %d failed after %.1f s; settling %d s%n",
                ready.playing(), ready.failed(), (System.nanoTime() - startNanos) / 1e9, options.settleSeconds());
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.settleSeconds()));

        // Window.
        ProcStats.Sample cpu0 = ProcStats.sample(options.serverPids());
        ProcStats.Sample self0 = ProcStats.self();
        LoadStats.Snapshot w0 = stats.snapshot();
        stats.measuring(true);
        out.printf(Locale.ROOT, "loadclient: measuring for %d s%n", options.durationSeconds());
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.durationSeconds()));
        stats.measuring(false);
        LoadStats.Snapshot w1 = stats.snapshot();
        ProcStats.Sample cpu1 = ProcStats.sample(options.serverPids());
        ProcStats.Sample self1 = ProcStats.self();
        long[] frames = framesPerPlayer();

        Map<String, String> summary = summarize(w1.minus(w0), w1, frames, idle, cpu0, cpu1, self0, self1);
        printSummary(summary);
        if (options.summary() != null) {
            StringBuilder b = new StringBuilder();
            summary.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
            try {
                Files.writeString(options.summary(), b);
            } catch (IOException e) {
                System.err.println("loadclient: cannot write " + options.summary() + ": " + e.getMessage());
            }
        }
        return w1.playing() > 0 ? 0 : 3;
    }

    private Bootstrap bootstrap(EventLoopGroup group, Class<? extends Channel> channelType) {
        long timeout = options.playTimeoutMillis();
        RtmpUrl rtmpUrl = options.rtmp() ? RtmpUrl.parse(options.url()) : null;
        RtmpHandshakeConfig handshake = RtmpHandshakeConfig.builder().digest(false)
                .timeout(Duration.ofMillis(timeout)).build();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout);
        if (channelType == EpollSocketChannel.class) {
            // Level-triggered: a read that does not fill the buffer ends the read, where
            // edge-triggered reads again until EAGAIN, one wasted system call per wake-up.
            // Halves the client's reads of a server that writes each frame on its own.
            b.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
        return b.handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (rtmpUrl != null) {
                            ch.pipeline().addLast(new RtmpClientHandshakeHandler(handshake), new RtmpChunkEncoder(),
                                    new RtmpLoadPlayer(rtmpUrl, stats, timeout));
                        } else {
                            ch.pipeline().addLast(new HttpFlvLoadPlayer(options.url(), stats, timeout));
                        }
                    }
                });
    }

    /** Reads each playing player's window frame count on its event loop. */
    private long[] framesPerPlayer() throws InterruptedException {
        List<Future<Long>> futures = new ArrayList<>();
        for (Channel ch : channels) {
            if (!ch.isRegistered()) {
                continue;
            }
            futures.add(ch.eventLoop().submit(() -> {
                PlayerHandler h = ch.pipeline().get(PlayerHandler.class);
                return h != null && h.isPlaying() ? h.stats().windowVideoFrames() : -1L;
            }));
        }
        long[] frames = new long[futures.size() + srtPlayers.size()];
        int n = 0;
        for (SrtLoadPlayer p : srtPlayers) {
            if (p.isPlaying()) {
                frames[n++] = p.windowVideoFrames();
            }
        }
        for (Future<Long> f : futures) {
            if (f.await(5, TimeUnit.SECONDS) && f.isSuccess() && f.getNow() >= 0) {
                frames[n++] = f.getNow();
            }
        }
        frames = Arrays.copyOf(frames, n);
        Arrays.sort(frames);
        return frames;
    }

    private void report(long startNanos, LoadStats.Snapshot total, LoadStats.Snapshot delta) {
        LatencyHistogram lat = stats.intervalLatency();
        String latency = lat.count() == 0 ? "latency -"
                : String.format(Locale.ROOT, "latency p50 %.1f p99 %.1f ms", lat.percentile(50) / 1e3,
                        lat.percentile(99) / 1e3);
        lat.reset();
        out.printf(Locale.ROOT, "[%4ds]%s playing %d/%d failed %d lost %d | %7.1f Mbit/s %6.0f msg/s | %s | "
                        + "dropped %d regressions %d%n",
                Math.round((total.nanos() - startNanos) / 1e9), stats.measuring() ? "*" : " ", total.playing(),
                total.started(), total.failed(), total.lost(), delta.megabitsPerSecond(),
                delta.messages() / Math.max(1e-9, delta.seconds()), latency, total.droppedFrames(),
                total.timestampRegressions());
    }

    private Map<String, String> summarize(LoadStats.Snapshot window, LoadStats.Snapshot total, long[] frames,
            ProcStats.Sample idle, ProcStats.Sample cpu0, ProcStats.Sample cpu1, ProcStats.Sample self0,
            ProcStats.Sample self1) {
        Map<String, String> m = new LinkedHashMap<>();
        double seconds = window.seconds();
        long playing = total.playing() - total.lost();
        LatencyHistogram lat = stats.windowLatency();
        m.put("label", options.label());
        m.put("url", options.url().toString());
        m.put("players", Long.toString(options.players()));
        m.put("playing", Long.toString(total.playing()));
        m.put("failed", Long.toString(total.failed()));
        m.put("lost", Long.toString(total.lost()));
        m.put("window_s", fmt(seconds, 2));
        m.put("mbps", fmt(window.megabitsPerSecond(), 2));
        m.put("mbps_per_player", fmt(playing > 0 ? window.megabitsPerSecond() / playing : 0, 4));
        m.put("messages", Long.toString(window.messages()));
        m.put("video_frames", Long.toString(window.videoFrames()));
        m.put("audio_frames", Long.toString(window.audioFrames()));
        m.put("frames_per_player_min", Long.toString(frames.length == 0 ? 0 : frames[0]));
        m.put("frames_per_player_median", Long.toString(frames.length == 0 ? 0 : frames[(frames.length - 1) / 2]));
        m.put("fps_per_player_median", fmt(frames.length == 0 ? 0 : frames[(frames.length - 1) / 2] / seconds, 2));
        if (options.fps() > 0) {
            m.put("players_fed", Long.toString(playersFed(frames, options.fps() * seconds)));
        }
        m.put("dropped_frames", Long.toString(window.droppedFrames()));
        m.put("dropped_frames_total", Long.toString(total.droppedFrames()));
        m.put("ts_regressions_total", Long.toString(total.timestampRegressions()));
        m.put("nonkey_starts", Long.toString(total.nonKeyframeStarts()));
        m.put("unstamped_frames", Long.toString(window.unstampedFrames()));
        m.put("lat_samples", Long.toString(lat.count()));
        m.put("lat_p50_ms", fmt(lat.percentile(50) / 1e3, 2));
        m.put("lat_p90_ms", fmt(lat.percentile(90) / 1e3, 2));
        m.put("lat_p99_ms", fmt(lat.percentile(99) / 1e3, 2));
        m.put("lat_max_ms", fmt(lat.max() / 1e3, 2));
        if (!options.serverPids().isEmpty()) {
            double cpuSeconds = (cpu1.cpuTicks() - cpu0.cpuTicks()) / (double) options.clockTicks();
            double playerMinutes = playing * seconds / 60.0;
            m.put("server_cpu_s", fmt(cpuSeconds, 2));
            m.put("server_cpu_pct", fmt(100 * cpuSeconds / seconds, 1));
            m.put("server_cpu_per_player_min", fmt(playerMinutes > 0 ? cpuSeconds / playerMinutes : 0, 5));
            m.put("server_rss_idle_kib", Long.toString(idle.rssKib()));
            m.put("server_rss_kib", Long.toString(cpu1.rssKib()));
            m.put("server_rss_per_player_kib",
                    fmt(playing > 0 ? (cpu1.rssKib() - idle.rssKib()) / (double) playing : 0, 1));
        }
        m.put("client_cpu_s", fmt((self1.cpuTicks() - self0.cpuTicks()) / (double) options.clockTicks(), 2));
        m.put("client_rss_kib", Long.toString(self1.rssKib()));
        return m;
    }

    /** Counts the players (sorted frame counts) that got at least the fed share of {@code expected} frames. */
    static long playersFed(long[] sortedFrames, double expected) {
        double need = expected * LoadClientOptions.FED_SHARE_PERCENT / 100.0;
        long fed = 0;
        for (int i = sortedFrames.length - 1; i >= 0 && sortedFrames[i] >= need; i--) {
            fed++;
        }
        return fed;
    }

    private void printSummary(Map<String, String> m) {
        out.println("loadclient: summary");
        m.forEach((k, v) -> out.printf(Locale.ROOT, "  %-28s %s%n", k, v));
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}

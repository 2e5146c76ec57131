package io.livehub.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpModule;
import io.livehub.rtmp.client.RtmpClient;
import io.livehub.rtmp.client.RtmpPlaySession;
import io.livehub.srt.SrtCaller;
import io.livehub.srt.SrtConfig;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.SrtModule;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Interop;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300 players of one stream (120 over RTMP, 120 over HTTP-FLV, 60 over SRT) leave at the same
 * moment, from several threads, while an ffmpeg publisher goes on: the publisher is not touched,
 * the stream stays live, and a new player gets it (issue: players leaving together used to end the
 * stream for everyone).
 */
@Tag("interop")
class PlayersLeavingTogetherInteropTest {

    // SRT players cost this 2-core machine most (the test's own SRT callers run beside the
    // server), so they are fewer: 300 players in all.
    private static final int RTMP_PLAYERS = 120;
    private static final int FLV_PLAYERS = 120;
    private static final int SRT_PLAYERS = 60;
    private static final int PLAYERS = RTMP_PLAYERS + FLV_PLAYERS + SRT_PLAYERS;

    @TempDir
    Path dir;

    private static void await(String what, int seconds, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not in " + seconds + " s");
            Thread.sleep(50);
        }
    }

    @Test
    void threeHundredPlayersLeavingAtOnceLeaveThePublisherAndTheStreamAlone() throws Exception {
        Interop.require("ffmpeg");
        EventLoopGroup group = new NioEventLoopGroup(2);
        ExecutorService killers = Executors.newFixedThreadPool(6);
        MediaServer server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).maxConnectionsPerAddress(1000).build())
                .module(HttpFlvModule.builder().build())
                .module(SrtModule.builder().host("127.0.0.1").port(0).maxConnectionsPerAddress(1000).build())
                .start();
        StreamKey key = StreamKey.of("live", "crowd");
        String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/crowd";
        List<AutoCloseable> players = new ArrayList<>();
        try (ExternalProcess publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-f", "lavfi", "-i", "sine",
                "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-f", "flv", rtmp);
             RtmpClient client = RtmpClient.create()) {
            await("publishing", 20, () -> server.hub().stream(key) != null && server.hub().stream(key).framesIn() > 25);
            String publisherId = server.hub().stream(key).publisherId();

            AtomicLong rtmpFrames = new AtomicLong();
            List<RtmpPlaySession> rtmpPlayers = new ArrayList<>();
            for (int i = 0; i < RTMP_PLAYERS; i++) {
                rtmpPlayers.add(client.play(rtmp, f -> rtmpFrames.incrementAndGet()).toCompletableFuture()
                        .get(20, TimeUnit.SECONDS));
            }
            rtmpPlayers.forEach(p -> players.add(() -> p.close()));

            AtomicLong flvBytes = new AtomicLong();
            List<Socket> flvPlayers = new ArrayList<>();
            for (int i = 0; i < FLV_PLAYERS; i++) {
                Socket s = new Socket("127.0.0.1", server.port("http"));
                OutputStream out = s.getOutputStream();
                out.write(("GET /live/crowd.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                flvPlayers.add(s);
                Thread reader = new Thread(() -> {
                    byte[] buf = new byte[16384];
                    try (InputStream in = s.getInputStream()) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            flvBytes.addAndGet(n);
                        }
                    } catch (Exception e) {
                        // closed by the test
                    }
                });
                reader.setDaemon(true);
                reader.start();
                players.add(s);
            }

            AtomicLong srtBytes = new AtomicLong();
            List<SrtConnection> srtPlayers = new ArrayList<>();
            SrtConnectionHandler counting = new SrtConnectionHandler() {
                @Override
                public void onPayload(SrtConnection c, ByteBuf payload) {
                    srtBytes.addAndGet(payload.readableBytes());
                }
            };
            for (int i = 0; i < SRT_PLAYERS; i++) {
                SrtConnection c = null;
                // A caller whose handshake got no answer in time tries again, as srt-live-transmit does.
                for (int attempt = 1; c == null; attempt++) {
                    try {
                        c = SrtCaller.connect(SrtConfig.defaults(), group, NioDatagramChannel.class,
                                new InetSocketAddress("127.0.0.1", server.port("srt")), "#!::r=live/crowd,m=request",
                                counting).get(20, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (attempt == 5) {
                            throw e;
                        }
                    }
                }
                srtPlayers.add(c);
                players.add(c::close);
            }

            LiveStream stream = server.hub().stream(key);
            await("300 players subscribed", 30, () -> stream.subscriberCount() >= PLAYERS);
            long r0 = rtmpFrames.get();
            long f0 = flvBytes.get();
            long s0 = srtBytes.get();
            await("every protocol's players receiving", 30,
                    () -> rtmpFrames.get() > r0 + RTMP_PLAYERS && flvBytes.get() > f0 + 100_000
                            && srtBytes.get() > s0 + 50_000);

            // Everyone leaves at once, from six threads.
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            int slice = (players.size() + 5) / 6;
            for (int t = 0; t < 6; t++) {
                List<AutoCloseable> mine = players.subList(Math.min(players.size(), t * slice),
                        Math.min(players.size(), (t + 1) * slice));
                done.add(killers.submit(() -> {
                    go.await();
                    for (AutoCloseable c : mine) {
                        c.close();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            await("the players gone", 30, () -> stream.subscriberCount() == 0);

            // The publisher is untouched: same client, still feeding the stream.
            assertTrue(publisher.isAlive(), "the publisher is still running: " + publisher.output());
            long framesBefore = stream.framesIn();
            await("frames still arriving", 10, () -> stream.framesIn() > framesBefore + 25);
            assertEquals(publisherId, server.hub().stream(key).publisherId(), "the same publisher");
            assertEquals(0, server.hub().failedSubscribers(), "no subscriber failed the publisher's thread");

            // And a new player gets the stream.
            ExternalProcess.Result late = ExternalProcess.run(dir, 40, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-i", rtmp, "-frames:v", "50", "-f", "null", "-");
            assertEquals(0, late.exitCode(), late.describe());
        } finally {
            for (AutoCloseable c : players) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already closed
                }
            }
            killers.shutdownNow();
            server.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}

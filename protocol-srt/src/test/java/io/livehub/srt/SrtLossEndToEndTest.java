package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.TrackKind;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loss test of a whole stream: ffmpeg (libsrt) publishes 30 s of H.264 + AAC over SRT at
 * latency 200 ms through a relay that drops 5% of the datagrams in each direction and
 * reorders 3%; a hub subscriber in the server writes what arrives to an MPEG-TS file. Every
 * published frame must arrive, and ffmpeg must decode the file without an error.
 *
 * <p>Retransmission has the whole latency, a dozen round trips on loopback, to repair a loss;
 * the subscriber joins before the publisher, so it sees the stream from its first frame. ffmpeg
 * closes with {@code linger=5}: libsrt's live mode does not linger by default, so a loss among
 * the last packets would otherwise never be repaired, and the stream would really end short.
 */
@Tag("interop")
class SrtLossEndToEndTest {

    static final int SECONDS = 30;
    static final int FPS = 25;

    @TempDir
    Path dir;

    @Test
    void thirtySecondsThroughFivePercentLossArriveFrameForFrame() throws Exception {
        SrtModule srt = SrtModule.builder().host("127.0.0.1").port(0).latency(Duration.ofMillis(200)).build();
        MediaServer server = MediaServer.builder().httpPort(-1).module(srt).start();
        DefaultEventLoop loop = new DefaultEventLoop();
        StreamKey key = StreamKey.of("live", "lossy");
        Path ts = dir.resolve("received.ts");
        try (LossyRelay relay = new LossyRelay(new InetSocketAddress("127.0.0.1", server.port("srt")), 0.05, 0.03, 17);
             TsFileSubscriber sub = new TsFileSubscriber(loop, ts)) {
            Subscription subscription = server.hub().subscribe(key, sub);
            ExternalProcess.Result pub = ExternalProcess.run(dir, SECONDS + 60, "ffmpeg", "-hide_banner",
                    "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=" + FPS,
                    "-f", "lavfi", "-i", "sine", "-t", String.valueOf(SECONDS), "-c:v", "libx264",
                    "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    "-f", "mpegts", "srt://127.0.0.1:" + relay.address().getPort()
                            + "?streamid=#!::r=live/lossy,m=publish&latency=200000&pkt_size=1316&linger=5");
            assertEquals(0, pub.exitCode(), pub.describe());
            // ffmpeg's last packets are delivered one latency after they were sent; its shutdown may be lost.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (sub.video < SECONDS * FPS && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            subscription.close();
            loop.submit(() -> { }).sync();
            String info = "video " + sub.video + ", audio " + sub.audio + ", relay dropped " + relay.dropped
                    + " reordered " + relay.reordered + " forwarded " + relay.forwarded + ", gaps " + gaps(sub.videoPts);
            assertEquals(SECONDS * FPS, sub.video, info);
            assertTrue(sub.audio >= SECONDS * 40, info);
            assertTrue(relay.dropped.get() > 50, info);
            sub.close();

            Ffprobe p = Ffprobe.of(dir, ts);
            assertNotNull(p.stream("video"), p.toString());
            assertNotNull(p.stream("audio"), p.toString());
            assertEquals(SECONDS * FPS, p.packets("video").size(), p + ", " + info);
            assertTrue(p.timestampsIncrease(), p.toString());
            ExternalProcess.Result decode = ExternalProcess.run(dir, 120, "ffmpeg", "-hide_banner", "-v", "error",
                    "-i", ts.toString(), "-f", "null", "-");
            assertEquals(0, decode.exitCode(), decode.describe());
            assertEquals("", decode.output().trim(), "ffmpeg reports decode errors");
        } finally {
            server.close();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Returns where consecutive video frames are more than one frame interval apart (90 kHz pts). */
    static String gaps(java.util.List<Long> pts) {
        StringBuilder b = new StringBuilder();
        java.util.List<Long> sorted = new java.util.ArrayList<>(pts);
        java.util.Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            long d = sorted.get(i) - sorted.get(i - 1);
            if (d > 90_000 / FPS * 3 / 2) {
                b.append(" after frame ").append(i - 1).append(": ").append(d * FPS / 90_000 - 1).append(" missing;");
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    /** Writes the frames of one hub stream to an MPEG-TS file with the SRT module's muxer, counting them. */
    static final class TsFileSubscriber implements StreamSubscriber, AutoCloseable {
        private final EventExecutor executor;
        private final OutputStream out;
        private final SrtPayloadMuxer muxer = TsPayloadFormat.INSTANCE.newMuxer(1316, new io.livehub.media.EgressForms());
        volatile int video;
        volatile int audio;
        final java.util.List<Long> videoPts = new java.util.concurrent.CopyOnWriteArrayList<>();

        TsFileSubscriber(EventExecutor executor, Path file) throws IOException {
            this.executor = executor;
            this.out = Files.newOutputStream(file);
        }

        @Override
        public EventExecutor executor() {
            return executor;
        }

        @Override
        public void onPublish(LiveStream stream) {
            muxer.onPublish(stream);
        }

        @Override
        public void onFrame(MediaFrame frame) {
            muxer.encode(frame, this::write);
            if (frame.track().kind() == TrackKind.VIDEO) {
                videoPts.add(frame.pts());
                video++;
            } else if (frame.track().kind() == TrackKind.AUDIO) {
                audio++;
            }
        }

        private void write(ByteBuf b) {
            try {
                b.readBytes(out, b.readableBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                b.release();
            }
        }

        @Override
        public void close() throws IOException {
            muxer.close();
            out.close();
        }
    }
}

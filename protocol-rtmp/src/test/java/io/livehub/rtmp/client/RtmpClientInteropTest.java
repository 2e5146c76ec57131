package io.livehub.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the client against a Livehub server with ffmpeg on the other side: the client publishes
 * what ffmpeg plays back and ffprobe reads, and plays what ffmpeg publishes. Tagged
 * {@code interop}: skipped locally when ffmpeg is missing, required in CI.
 */
@Tag("interop")
class RtmpClientInteropTest {

    @TempDir
    Path dir;

    private MediaServer server;
    private RtmpClient client;
    private String rtmp;
    private final List<ExternalProcess> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .start();
        rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        client = RtmpClient.create();
    }

    @AfterEach
    void stop() throws Exception {
        for (ExternalProcess p : processes) {
            p.close();
        }
        client.close();
        server.close();
    }

    static void await(BooleanSupplier cond, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not within " + seconds + " s");
            Thread.sleep(20);
        }
    }

    @Test
    void clientPublishesWhatFfmpegPlaysBack() throws Exception {
        FlvFrames source = FlvFrames.read(ClientInterop.makeFlv(dir));
        List<MediaFrame> frames = source.take();
        long videoFrames = frames.stream().filter(MediaFrame::isVideo).count();
        assertEquals(75, videoFrames, "ffmpeg made 3 s at 25 fps");

        Path out = dir.resolve("played.flv");
        ExternalProcess player = ClientInterop.ffmpegRecord(dir, rtmp + "/live/fromclient", out);
        processes.add(player);
        StreamKey key = StreamKey.of("live", "fromclient");
        await(() -> server.hub().stream(key) != null && server.hub().stream(key).subscriberCount() == 1, 20,
                "ffmpeg playing");

        RtmpPublishSession pub = RtmpClientRoundTripTest.await(client.publish(rtmp + "/live/fromclient"));
        pub.metadata(source.metadata);
        ClientInterop.sendPaced(pub, frames);
        RtmpClientRoundTripTest.await(pub.close());
        assertEquals(frames.size(), pub.sentFrames());
        assertEquals(0, pub.droppedFrames());

        ExternalProcess.Result r = player.await(30);
        assertEquals(0, r.exitCode(), r.describe());
        ClientInterop.assertH264Aac(Ffprobe.of(dir, out), 75);
    }

    @Test
    void clientPlaysWhatFfmpegPublishesJoiningMidStream() throws Exception {
        ExternalProcess publisher = ClientInterop.ffmpegPublish(dir, rtmp + "/live/fromffmpeg", 6);
        processes.add(publisher);
        StreamKey key = StreamKey.of("live", "fromffmpeg");
        await(() -> {
            LiveStream s = server.hub().stream(key);
            return s != null && s.isPublishing() && s.framesIn() >= 40;
        }, 20, "ffmpeg publishing");

        FrameCollector got = new FrameCollector();
        RtmpPlaySession player = RtmpClientRoundTripTest.await(client.play(rtmp + "/live/fromffmpeg", got));
        got.await(() -> got.frames.stream().filter(FrameCollector.Frame::isVideo).count() >= 50, 20, "50 video frames");
        ClientInterop.assertPlayedH264Aac(got, 50);

        ExternalProcess.Result r = publisher.await(30);
        assertEquals(0, r.exitCode(), r.describe());
        got.await(() -> got.unpublishes == 1, 10, "unpublish");
        RtmpClientRoundTripTest.await(player.close());
        got.await(() -> got.closed && got.closeCause == null, 10, "closed");
    }
}

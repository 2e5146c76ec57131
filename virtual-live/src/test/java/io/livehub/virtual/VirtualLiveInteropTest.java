package io.livehub.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PublishEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.hub.LiveStream;
import io.livehub.hub.Publication;
import io.livehub.hub.StreamBusyException;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Timebase;
import io.livehub.rtmp.RtmpModule;
import io.livehub.srt.SrtModule;
import io.livehub.testing.Await;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import io.netty.util.concurrent.EventExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plays files made by ffmpeg as live streams and reads them back over RTMP with ffmpeg and
 * ffprobe, across loop seams. Tagged {@code interop}: skipped locally without ffmpeg, required in CI.
 */
@Tag("interop")
class VirtualLiveInteropTest {

    @TempDir
    static Path media;
    @TempDir
    Path dir;

    private MediaServer server;
    private VirtualLiveModule virtual;
    private String rtmp;
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final List<ExternalProcess> processes = new ArrayList<>();
    private volatile String denyPublishOf;

    @BeforeEach
    void start() throws Exception {
        virtual = VirtualLiveModule.builder().mediaRoot(media).build();
        server = MediaServer.builder()
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(SrtModule.builder().host("127.0.0.1").port(0).build())
                .module(virtual)
                .listener(new MediaServerListener() {
                    @Override
                    public CompletionStage<Decision> onConnect(ConnectEvent e) {
                        events.add(e);
                        return Decision.allowStage();
                    }

                    @Override
                    public CompletionStage<Decision> onPublish(PublishEvent e) {
                        events.add(e);
                        return e.stream().name().equals(denyPublishOf) ? Decision.denyStage("not today")
                                : Decision.allowStage();
                    }

                    @Override
                    public void onUnpublish(UnpublishEvent e) {
                        events.add(e);
                    }

                    @Override
                    public void onClose(CloseEvent e) {
                        events.add(e);
                    }
                })
                .start();
        rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
    }

    @AfterEach
    void stop() throws Exception {
        for (ExternalProcess p : processes) {
            p.close();
        }
        server.close();
    }

    /** Records when each frame reached a subscriber, to measure the pace against the wall clock. */
    private static final class PaceRecorder implements StreamSubscriber {
        final EventExecutor executor;
        final List<long[]> samples = new CopyOnWriteArrayList<>();

        PaceRecorder(EventExecutor executor) {
            this.executor = executor;
        }

        @Override
        public EventExecutor executor() {
            return executor;
        }

        @Override
        public void onFrame(MediaFrame frame) {
            samples.add(new long[] {System.nanoTime(),
                    frame.track().timebase().rescale(frame.dts(), new Timebase(1, 1_000_000)),
                    frame.isVideo() ? 1 : 0});
        }
    }

    private static Throwable failure(CompletionStage<?> stage) throws InterruptedException {
        try {
            stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("stage did not complete", e);
        }
        throw new AssertionError("stage completed normally");
    }

    @ParameterizedTest
    @EnumSource(TestMedia.Kind.class)
    void playsLoopedFileOverRtmpAcrossTwoSeams(TestMedia.Kind kind) throws Exception {
        TestMedia.make(media, kind);
        StreamKey key = StreamKey.of("live", "v" + kind.ordinal());
        // The player waits for the stream, so it sees it from its first frame: 6.5 s of a
        // 3 x 2.5 s stream cross the seams at 2.5 s and 5 s. ffmpeg before 6.1 reads no H.265
        // over RTMP (enhanced RTMP), so that one is read over SRT.
        boolean overSrt = kind == TestMedia.Kind.H265_MP4;
        Path out = dir.resolve(overSrt ? "played.ts" : "played.flv");
        String url = overSrt
                ? "srt://127.0.0.1:" + server.port("srt") + "?streamid=#!::r=" + key.path() + ",m=request"
                : rtmp + "/" + key.path();
        ExternalProcess player = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-i", url, "-t", "6.5", "-c", "copy", "-f", overSrt ? "mpegts" : "flv", out.toString());
        processes.add(player);
        PaceRecorder pace = new PaceRecorder(server.transport().workerGroup().next());
        Subscription recorder = server.hub().subscribe(key, pace);
        Await.until(() -> {
            LiveStream s = server.hub().stream(key);
            return s != null && s.subscriberCount() == 2;
        }, 20, "the player to wait for " + key);

        VirtualLiveStatus started = virtual.start(key, kind.file, 3).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(VirtualLiveState.PLAYING, started.state());
        assertEquals(1, virtual.list().size());

        ExternalProcess.Result played = player.await(40);
        assertEquals(0, played.exitCode(), played.describe());
        Await.until(() -> virtual.list().isEmpty(), 20, "the three passes to end");
        recorder.close();

        ExternalProcess.Result decoded = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-v", "error",
                "-i", out.toString(), "-f", "null", "-");
        assertEquals(0, decoded.exitCode(), decoded.describe());
        assertEquals("", decoded.output().trim(), "every frame decodes: " + decoded.describe());

        Ffprobe probe = Ffprobe.of(dir, out);
        assertTrue(probe.timestampsIncrease(), "timestamps increase across the seams: " + probe);
        List<Ffprobe.Packet> video = probe.packets("video");
        assertTrue(video.size() >= 150, "6.5 s of 25 fps video, got " + video.size());
        assertTrue(video.get(0).keyframe(), "playback starts on a keyframe");
        assertTrue(video.get(video.size() - 1).dts() - video.get(0).dts() > 5.5,
                "the player got past the second seam: " + probe);
        assertTrue(probe.packets("audio").size() > 200, "audio across the seams: " + probe.packets("audio").size());

        assertPace(pace.samples, 3 * TestMedia.SECONDS);
        assertLifecycle(key);
    }

    /**
     * Checks the pace: the lag of wall clock behind media time, at its least over the first and
     * over the last second (the least lag is the pacer's own, free of scheduling delays), may
     * change by 1 % of the run at most.
     */
    private static void assertPace(List<long[]> samples, double mediaSeconds) {
        assertFalse(samples.isEmpty(), "frames reached the hub");
        long wall0 = samples.get(0)[0];
        long media0 = samples.get(0)[1];
        long mediaEnd = samples.get(samples.size() - 1)[1] - media0;
        assertTrue(mediaEnd > (mediaSeconds - 0.3) * 1e6, "all passes published: " + mediaEnd + " us");
        long firstLag = Long.MAX_VALUE;
        long lastLag = Long.MAX_VALUE;
        for (long[] s : samples) {
            long mediaUs = s[1] - media0;
            long lag = (s[0] - wall0) / 1000 - mediaUs;
            if (mediaUs < 1_000_000) {
                firstLag = Math.min(firstLag, lag);
            }
            if (mediaUs > mediaEnd - 1_000_000) {
                lastLag = Math.min(lastLag, lag);
            }
        }
        double drift = Math.abs(lastLag - firstLag) / (double) mediaEnd;
        System.out.printf("virtual live pace: %.3f%% drift over %.2f s of media%n", drift * 100, mediaEnd / 1e6);
        assertTrue(drift < 0.01, "pace within 1 % of real time: drift " + (lastLag - firstLag) + " us over "
                + mediaEnd + " us");
    }

    private void assertLifecycle(StreamKey key) throws InterruptedException {
        Await.until(() -> events.stream().anyMatch(e -> e instanceof CloseEvent c && key.equals(c.stream())
                && c.client().protocol().equals("file")), 10, "the file publisher's close event");
        List<String> seen = new ArrayList<>();
        for (Object e : events) {
            if (e instanceof ConnectEvent c && c.client().protocol().equals("file")) {
                seen.add("connect");
            } else if (e instanceof PublishEvent p && p.client().protocol().equals("file")) {
                assertEquals(key, p.stream());
                assertNotNull(p.params().get("file"));
                seen.add("publish");
            } else if (e instanceof UnpublishEvent u && u.client().protocol().equals("file")) {
                seen.add("unpublish");
            } else if (e instanceof CloseEvent c && c.client().protocol().equals("file")) {
                seen.add("close");
            }
        }
        assertEquals(List.of("connect", "publish", "unpublish", "close"), seen);
    }

    @Test
    void hostilePathsAreRefusedBeforeAnyDecision() throws Exception {
        TestMedia.make(media, TestMedia.Kind.FLV);
        Path outside = Files.createTempFile(dir, "secret", ".flv");
        Files.copy(media.resolve(TestMedia.Kind.FLV.file), outside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path link = media.resolve("link-out.flv");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, outside);
        StreamKey key = StreamKey.of("live", "hostile");
        for (String bad : List.of("../" + outside.getFileName(), outside.toString(), "link-out.flv",
                "sub/../../" + outside.getFileName(), "", "missing.flv", "a\u0000b.flv")) {
            Throwable t = failure(virtual.start(key, bad, 1));
            assertInstanceOf(IllegalArgumentException.class, t, bad);
        }
        assertTrue(events.isEmpty(), "no decision was asked: " + events);
        assertTrue(virtual.list().isEmpty());
    }

    @Test
    void unsupportedCodecIsRefusedWithItsName() throws Exception {
        TestMedia.make(media, "talk.mp4", "-c:v", "mpeg4", "-c:a", "aac");
        Throwable t = failure(virtual.start(StreamKey.of("live", "talk"), "talk.mp4", 1));
        assertInstanceOf(UnsupportedMediaException.class, t);
        assertEquals("unsupported video codec 'mp4v' in talk.mp4", t.getMessage());
        assertTrue(virtual.list().isEmpty());
    }

    @Test
    void stoppingMidFileEndsTheStreamAndFiresOnUnpublish() throws Exception {
        TestMedia.make(media, TestMedia.Kind.FRAGMENTED_MP4);
        StreamKey key = StreamKey.of("live", "stopme");
        virtual.start(key, TestMedia.Kind.FRAGMENTED_MP4.file, VirtualLiveModule.FOREVER)
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        Await.live(server, key, 30);
        VirtualLiveStatus s = virtual.status(key).orElseThrow();
        assertEquals(VirtualLiveState.PLAYING, s.state());
        assertEquals(0, s.loops());
        assertTrue(server.clients().list().stream().anyMatch(c -> c.info().protocol().equals("file")),
                "the source is listed with the clients");

        assertTrue(virtual.stop(key).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertFalse(server.hub().stream(key) != null && server.hub().stream(key).isPublishing(), "unpublished");
        assertTrue(virtual.list().isEmpty());
        assertFalse(virtual.stop(key).toCompletableFuture().get(10, TimeUnit.SECONDS), "nothing left to stop");
        Await.until(() -> events.stream().anyMatch(e -> e instanceof UnpublishEvent u && key.equals(u.stream())), 10,
                "onUnpublish");
        assertLifecycle(key);
    }

    @Test
    void aStreamWithAPublisherIsBusyAndADenialIsReported() throws Exception {
        TestMedia.make(media, TestMedia.Kind.FLV);
        StreamKey key = StreamKey.of("live", "taken");
        Publication other = server.hub().publish(key, server.transport().workerGroup().next(), "other");
        try {
            Throwable t = failure(virtual.start(key, TestMedia.Kind.FLV.file, 1));
            assertInstanceOf(StreamBusyException.class, t);
        } finally {
            other.close();
        }
        virtual.start(key, TestMedia.Kind.FLV.file, VirtualLiveModule.FOREVER).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertInstanceOf(StreamBusyException.class, failure(virtual.start(key, TestMedia.Kind.FLV.file, 1)));
        virtual.stop(key).toCompletableFuture().get(10, TimeUnit.SECONDS);

        denyPublishOf = "denied";
        Throwable t = failure(virtual.start(StreamKey.of("live", "denied"), TestMedia.Kind.FLV.file, 1));
        assertInstanceOf(VirtualLiveException.class, t);
        assertTrue(t.getMessage().contains("not today"), t.getMessage());
        assertTrue(virtual.list().isEmpty());
    }

    @Test
    void startOffsetStartsAtAKeyframeAfterIt() throws Exception {
        TestMedia.make(media, TestMedia.Kind.H264_AAC_MP4);
        StreamKey key = StreamKey.of("live", "offset");
        PaceRecorder frames = new PaceRecorder(server.transport().workerGroup().next());
        Subscription sub = server.hub().subscribe(key, frames);
        virtual.start(key, TestMedia.Kind.H264_AAC_MP4.file, 1, Duration.ofMillis(1500))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        Await.until(() -> virtual.list().isEmpty(), 20, "the pass to end");
        sub.close();
        long videoFrames = frames.samples.stream().filter(s -> s[2] == 1).count();
        // Keyframes every 25 frames: the first at or after 1.5 s is at 2 s, leaving 0.5 s.
        assertTrue(videoFrames >= 12 && videoFrames <= 14, "video frames from the keyframe at 2 s on: " + videoFrames);
    }
}

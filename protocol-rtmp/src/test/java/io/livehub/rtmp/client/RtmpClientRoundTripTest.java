package io.livehub.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PublishEvent;
import io.livehub.hub.HubConfig;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.livehub.rtmp.RtmpModule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishes with the client to a Livehub server and plays back with the client, with synthetic
 * frames, so it runs without external programs. Timestamp correction is off in the server's hub
 * so that timestamps can be compared exactly while frames are sent faster than real time.
 */
class RtmpClientRoundTripTest {

    private MediaServer server;
    private RtmpClient client;
    private String base;
    private volatile Map<String, String> lastPublishParams;

    @BeforeEach
    void start() throws Exception {
        MediaServerListener rules = new MediaServerListener() {
            @Override
            public CompletionStage<Decision> onConnect(ConnectEvent event) {
                return event.app().equals("closed") ? Decision.denyStage("app closed") : Decision.allowStage();
            }

            @Override
            public CompletionStage<Decision> onPublish(PublishEvent event) {
                lastPublishParams = event.params();
                return event.stream().name().equals("forbidden") ? Decision.denyStage("not this one")
                        : Decision.allowStage();
            }
        };
        server = MediaServer.builder().httpPort(0)
                .hub(HubConfig.builder().timestampCorrection(false).build())
                .listener(rules)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .start();
        base = "rtmp://127.0.0.1:" + server.port("rtmp");
        client = RtmpClient.create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Returns what a failed stage failed with. */
    static Throwable failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void h264AndAacRoundTripWithMetadataAndATrackChange() throws Exception {
        FrameCollector got = new FrameCollector();
        RtmpPlaySession player = await(client.play(base + "/live/rt", got));
        assertTrue(player.isOpen());
        assertEquals(1, player.streamId());

        RtmpPublishSession pub = await(client.publish(base + "/live/rt?token=abc"));
        assertTrue(pub.isOpen());
        assertEquals("abc", lastPublishParams.get("token"), "the query travels with the stream name");
        pub.metadata(Map.of("width", 320.0, "height", 240.0, "encoder", "livehub-test"));

        Track video = SyntheticMedia.h264(SyntheticMedia.AVCC);
        Track audio = SyntheticMedia.aac();
        int n = 50;
        for (int i = 0; i < n; i++) {
            long dts = 1000 + i * 40L;
            boolean key = i % 25 == 0;
            pub.send(SyntheticMedia.frame(video, dts, key ? dts : dts + 80, key,
                    SyntheticMedia.videoPayload(CodecId.H264, i, key)));
            pub.send(SyntheticMedia.frame(audio, dts + 10, dts + 10, true, SyntheticMedia.audioPayload(i)));
        }
        // A new configuration mid-stream: a new Track object, whose sequence header goes first.
        byte[] avcc2 = SyntheticMedia.AVCC.clone();
        avcc2[11] = 0x28;
        Track video2 = SyntheticMedia.h264(avcc2);
        for (int i = n; i < n + 5; i++) {
            long dts = 1000 + i * 40L;
            pub.send(SyntheticMedia.frame(video2, dts, dts, i == n, SyntheticMedia.videoPayload(CodecId.H264, i, i == n)));
        }

        got.await(() -> got.count(CodecId.H264) == n + 5 && got.count(CodecId.AAC) == n, 20, "all frames");
        assertEquals(2 * n + 5, pub.sentFrames());
        assertEquals(0, pub.droppedFrames());

        List<Track> tracks = got.tracks();
        assertEquals(3, tracks.size(), tracks.toString());
        assertArrayEquals(SyntheticMedia.AVCC, tracks.get(0).config());
        assertEquals(CodecId.AAC, tracks.get(1).codec());
        assertArrayEquals(SyntheticMedia.ASC, tracks.get(1).config());
        assertArrayEquals(avcc2, tracks.get(2).config());

        List<FrameCollector.Frame> v = got.frames(CodecId.H264);
        for (int i = 0; i < n + 5; i++) {
            FrameCollector.Frame f = v.get(i);
            long dts = 1000 + i * 40L;
            boolean key = i % 25 == 0 || i == n;
            assertEquals(dts, f.dts(), "dts of video frame " + i);
            assertEquals(key || i > n ? dts : dts + 80, f.pts(), "pts of video frame " + i);
            assertEquals(key, f.keyframe(), "keyframe flag of video frame " + i);
            assertArrayEquals(SyntheticMedia.videoPayload(CodecId.H264, i, key), f.payload(), "payload " + i);
            assertSame(i < n ? tracks.get(0) : tracks.get(2), f.track(), "track of video frame " + i);
        }
        List<FrameCollector.Frame> a = got.frames(CodecId.AAC);
        for (int i = 0; i < n; i++) {
            assertEquals(1010 + i * 40L, a.get(i).dts());
            assertArrayEquals(SyntheticMedia.audioPayload(i), a.get(i).payload());
        }
        synchronized (got) {
            assertEquals(1, got.metadata.size(), got.metadata.toString());
            assertEquals(320.0, got.metadata.get(0).get("width"));
            assertEquals("livehub-test", got.metadata.get(0).get("encoder"));
        }

        await(pub.close());
        await(pub.closeFuture());
        assertFalse(pub.isOpen());
        got.await(() -> got.unpublishes == 1, 10, "unpublish");
        synchronized (got) {
            assertTrue(got.statuses.contains("NetStream.Play.UnpublishNotify"), got.statuses.toString());
        }
        assertTrue(player.isOpen(), "a player stays through an unpublish");

        await(player.close());
        await(player.closeFuture());
        got.await(() -> got.closed, 10, "onClose");
        assertNull(got.closeCause);
        assertEquals(n + 5 + n, player.framesReceived());
    }

    /**
     * Players of an event loop share the joined writes of a drain (EgressGatherer): players
     * that joined at different times, so some replay the GOP while others are live, each get
     * their own exact stream from their first keyframe on, in order, with nothing lost or
     * doubled.
     */
    @Test
    void playersSharingAnEventLoopEachGetTheirOwnExactStream() throws Exception {
        // Two loops: the players of the loop the publisher is not on are drained while frames
        // keep arriving, so players of one pass get different numbers of frames.
        MediaServer shared = MediaServer.builder().httpPort(0).workerThreads(2)
                .hub(HubConfig.builder().timestampCorrection(false).mergeWriteWindow(Duration.ofMillis(30)).build())
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .start();
        try {
            String url = "rtmp://127.0.0.1:" + shared.port("rtmp") + "/live/shared";
            Track video = SyntheticMedia.h264(SyntheticMedia.AVCC);
            Track audio = SyntheticMedia.aac();
            int perGop = 10;
            int n = 120;
            int players = 8;
            FrameCollector[] got = new FrameCollector[players];
            RtmpPlaySession[] sessions = new RtmpPlaySession[players];
            RtmpPublishSession pub = await(client.publish(url));
            for (int i = 0; i < n; i++) {
                if (i % 12 == 0 && i / 12 < players) {
                    int p = i / 12;
                    got[p] = new FrameCollector();
                    sessions[p] = await(client.play(url, got[p]));
                }
                long dts = i * 40L;
                boolean key = i % perGop == 0;
                pub.send(SyntheticMedia.frame(video, dts, dts, key, SyntheticMedia.videoPayload(CodecId.H264, i, key)));
                pub.send(SyntheticMedia.frame(audio, dts + 5, dts + 5, true, SyntheticMedia.audioPayload(i)));
                if (i % 4 == 0) {
                    Thread.sleep(1);
                }
            }
            for (int p = 0; p < players; p++) {
                FrameCollector c = got[p];
                c.await(() -> !c.frames(CodecId.H264).isEmpty()
                        && c.frames(CodecId.H264).get(c.frames(CodecId.H264).size() - 1).dts() == (n - 1) * 40L,
                        20, "player " + p + " reaching the last frame");
                List<FrameCollector.Frame> v = c.frames(CodecId.H264);
                int first = (int) (v.get(0).dts() / 40);
                assertEquals(0, first % perGop, "player " + p + " starts at a keyframe");
                assertEquals(n - first, v.size(), "player " + p + " gets every video frame from its first on");
                for (int k = 0; k < v.size(); k++) {
                    int i = first + k;
                    assertEquals(i * 40L, v.get(k).dts(), "player " + p + " video frame " + k);
                    assertArrayEquals(SyntheticMedia.videoPayload(CodecId.H264, i, i % perGop == 0), v.get(k).payload(),
                            "player " + p + " payload of video frame " + i);
                }
                List<FrameCollector.Frame> a = c.frames(CodecId.AAC);
                long lastAudio = -1;
                for (FrameCollector.Frame f : a) {
                    assertTrue(f.dts() > lastAudio, "player " + p + " audio in order");
                    lastAudio = f.dts();
                    assertArrayEquals(SyntheticMedia.audioPayload((int) ((f.dts() - 5) / 40)), f.payload());
                }
                assertEquals((n - 1) * 40L + 5, lastAudio, "player " + p + " gets the last audio frame");
                assertEquals(1, c.tracks().stream().filter(t -> t.codec() == CodecId.H264).count(),
                        "player " + p + " gets the video sequence header once");
            }
            await(pub.close());
            for (RtmpPlaySession s : sessions) {
                await(s.close());
            }
        } finally {
            shared.close();
        }
    }

    @Test
    void enhancedRtmpHevcAndOpusPassThroughTheServer() throws Exception {
        FrameCollector got = new FrameCollector();
        RtmpPlaySession player = await(client.play(base + "/live/hevc", got));
        RtmpPublishSession pub = await(client.publish(base + "/live/hevc"));
        Track video = SyntheticMedia.hevc();
        Track audio = SyntheticMedia.opus();
        int n = 30;
        for (int i = 0; i < n; i++) {
            long dts = i * 40L;
            boolean key = i % 10 == 0;
            // Composition time 0 goes as CodedFramesX, other values as CodedFrames.
            long pts = i % 3 == 1 ? dts + 40 : dts;
            pub.send(SyntheticMedia.frame(video, dts, pts, key, SyntheticMedia.videoPayload(CodecId.H265, i, key)));
            pub.send(SyntheticMedia.frame(audio, dts + 20, dts + 20, true, SyntheticMedia.audioPayload(i)));
        }
        got.await(() -> got.count(CodecId.H265) == n && got.count(CodecId.OPUS) == n, 20, "HEVC and Opus frames");

        List<Track> tracks = got.tracks();
        assertEquals(2, tracks.size(), tracks.toString());
        assertEquals(CodecId.H265, tracks.get(0).codec());
        assertArrayEquals(SyntheticMedia.HVCC, tracks.get(0).config());
        assertEquals(CodecId.OPUS, tracks.get(1).codec());
        assertArrayEquals(SyntheticMedia.OPUS_HEAD, tracks.get(1).config());
        List<FrameCollector.Frame> v = got.frames(CodecId.H265);
        for (int i = 0; i < n; i++) {
            long dts = i * 40L;
            boolean key = i % 10 == 0;
            assertEquals(dts, v.get(i).dts());
            assertEquals(i % 3 == 1 ? dts + 40 : dts, v.get(i).pts(), "pts of " + i);
            assertEquals(key, v.get(i).keyframe());
            assertArrayEquals(SyntheticMedia.videoPayload(CodecId.H265, i, key), v.get(i).payload());
        }
        List<FrameCollector.Frame> a = got.frames(CodecId.OPUS);
        for (int i = 0; i < n; i++) {
            assertEquals(i * 40L + 20, a.get(i).dts());
            assertArrayEquals(SyntheticMedia.audioPayload(i), a.get(i).payload());
        }
        await(pub.close());
        await(player.close());
    }

    @Test
    void enhancedRtmpAv1PassesThroughTheServer() throws Exception {
        FrameCollector got = new FrameCollector();
        RtmpPlaySession player = await(client.play(base + "/live/av1", got));
        RtmpPublishSession pub = await(client.publish(base + "/live/av1"));
        Track video = SyntheticMedia.av1();
        for (int i = 0; i < 20; i++) {
            boolean key = i % 10 == 0;
            pub.send(SyntheticMedia.frame(video, i * 33L, i * 33L, key, SyntheticMedia.videoPayload(CodecId.AV1, i, key)));
        }
        got.await(() -> got.count(CodecId.AV1) == 20, 20, "AV1 frames");
        assertArrayEquals(SyntheticMedia.AV1C, got.tracks().get(0).config());
        List<FrameCollector.Frame> v = got.frames(CodecId.AV1);
        for (int i = 0; i < 20; i++) {
            assertEquals(i * 33L, v.get(i).dts());
            assertEquals(i % 10 == 0, v.get(i).keyframe());
            assertArrayEquals(SyntheticMedia.videoPayload(CodecId.AV1, i, i % 10 == 0), v.get(i).payload());
        }
        await(pub.close());
        await(player.close());
    }

    /**
     * Sends every frame of an FLV file that carries Enhanced RTMP bodies (HEVC and Opus, made by
     * core's tests from real encoder output) and compares what a player gets byte for byte.
     */
    @Test
    void realHevcAndOpusFramesPassThroughUnchanged() throws Exception {
        FlvFrames file = FlvFrames.resource("/io/livehub/flv/hevc_opus.flv");
        List<MediaFrame> frames = file.take();
        List<FrameCollector.Frame> expected = frames.stream()
                .map(f -> new FrameCollector.Frame(f.track(), f.dts(), f.pts(), f.isKeyframe(),
                        io.netty.buffer.ByteBufUtil.getBytes(f.content())))
                .toList();
        FrameCollector got = new FrameCollector();
        RtmpPlaySession player = await(client.play(base + "/live/real", got));
        RtmpPublishSession pub = await(client.publish(base + "/live/real"));
        frames.forEach(pub::send);
        got.await(() -> got.frames.size() == expected.size(), 20, expected.size() + " frames");
        List<FrameCollector.Frame> actual = got.frames();
        for (int i = 0; i < expected.size(); i++) {
            FrameCollector.Frame e = expected.get(i);
            FrameCollector.Frame g = actual.stream().filter(f -> f.codec() == e.codec() && f.dts() == e.dts()
                    && java.util.Arrays.equals(f.payload(), e.payload())).findFirst().orElse(null);
            assertTrue(g != null, "frame " + i + " " + e.codec() + " dts " + e.dts() + " arrived");
            assertEquals(e.pts(), g.pts());
            assertEquals(e.keyframe(), g.keyframe());
            assertArrayEquals(e.track().config(), g.track().config());
        }
        await(pub.close());
        await(player.close());
    }

    /**
     * Makes the channel unwritable after every write (a one-byte high water mark) and checks the
     * documented policy: while unwritable frames are dropped, and sending resumes at the next
     * video keyframe, never at a frame whose references were dropped. Each batch runs as one
     * event loop task, so the flush in between is the only time the socket drains.
     */
    @Test
    void aSlowConnectionDropsFramesUntilTheNextKeyframe() throws Exception {
        RtmpClientConfig tiny = RtmpClientConfig.builder()
                .writeBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1, 1)).build();
        FrameCollector got = new FrameCollector();
        RtmpPlaySession player = await(client.play(base + "/live/slow", got));
        try (RtmpClient slow = RtmpClient.create(tiny)) {
            RtmpPublishSession pub = await(slow.publish(base + "/live/slow"));
            Track video = SyntheticMedia.h264(SyntheticMedia.AVCC);
            Track audio = SyntheticMedia.aac();
            java.util.function.IntFunction<MediaFrame> v = i -> SyntheticMedia.frame(video, i * 40L, i * 40L, i % 3 == 0,
                    SyntheticMedia.videoPayload(CodecId.H264, i, i % 3 == 0));
            java.util.function.IntFunction<MediaFrame> a = i -> SyntheticMedia.frame(audio, i * 40L + 1, i * 40L + 1, true,
                    SyntheticMedia.audioPayload(i));
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                pub.send(v.apply(0)); // written; the channel is now above its high water mark
                pub.send(v.apply(1)); // dropped
                pub.send(a.apply(1)); // dropped
            }, pub.executor()).get(10, TimeUnit.SECONDS);
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                assertTrue(pub.isWritable(), "the flush between the batches drained the channel");
                pub.send(v.apply(2)); // dropped: not a keyframe
                pub.send(a.apply(2)); // dropped: audio waits for the video keyframe
                pub.send(v.apply(3)); // keyframe: written
                pub.send(v.apply(4)); // dropped: unwritable again
            }, pub.executor()).get(10, TimeUnit.SECONDS);
            assertEquals(2, pub.sentFrames());
            assertEquals(5, pub.droppedFrames());
            got.await(() -> got.frames.size() == 2, 10, "the two keyframes");
            assertEquals(List.of(0L, 120L), got.frames().stream().map(FrameCollector.Frame::dts).toList());
            await(pub.close());
        }
        await(player.close());
    }

    @Test
    void aSecondPublisherOfTheSameNameIsRefusedWithBadName() throws Exception {
        RtmpPublishSession first = await(client.publish(base + "/live/taken"));
        Throwable t = failure(client.publish(base + "/live/taken"));
        RtmpStatusException e = assertInstanceOf(RtmpStatusException.class, t);
        assertEquals("NetStream.Publish.BadName", e.code());
        assertEquals("publish", e.command());
        assertEquals("error", e.level());
        assertTrue(e.getMessage().contains("NetStream.Publish.BadName"), e.getMessage());
        assertTrue(first.isOpen(), "the first publisher goes on");
        assertTrue(server.hub().stream(StreamKey.of("live", "taken")).isPublishing());
        await(first.close());
    }

    @Test
    void deniedPublishAndRejectedConnectFailWithTheServersCodes() throws Exception {
        RtmpStatusException denied = assertInstanceOf(RtmpStatusException.class,
                failure(client.publish(base + "/live/forbidden")));
        assertEquals("NetStream.Publish.Denied", denied.code());
        assertTrue(denied.description().contains("not this one"), denied.description());

        RtmpStatusException rejected = assertInstanceOf(RtmpStatusException.class,
                failure(client.play(base + "/closed/x", new FrameCollector())));
        assertEquals("NetConnection.Connect.Rejected", rejected.code());
        assertEquals("connect", rejected.command());
    }

    @Test
    void framesSentAfterCloseAreReleasedAndCounted() throws Exception {
        RtmpPublishSession pub = await(client.publish(base + "/live/late"));
        await(pub.close());
        pub.send(SyntheticMedia.frame(SyntheticMedia.aac(), 0, 0, true, SyntheticMedia.audioPayload(0)));
        // The frame goes through the event loop; wait for it to be counted.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pub.droppedFrames() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, pub.droppedFrames());
        assertFalse(pub.isWritable());
    }

    @Test
    void serverShutdownFailsTheCloseFutureAndTellsThePlayer() throws Exception {
        FrameCollector got = new FrameCollector();
        RtmpPlaySession player = await(client.play(base + "/live/gone", got));
        RtmpPublishSession pub = await(client.publish(base + "/live/gone"));
        server.close();
        Throwable t = failure(pub.closeFuture());
        assertInstanceOf(RtmpClientException.class, t);
        assertInstanceOf(RtmpClientException.class, failure(player.closeFuture()));
        got.await(() -> got.closed, 10, "onClose");
        assertInstanceOf(RtmpClientException.class, got.closeCause);
        assertNotSame(null, got.closeCause.getMessage());
    }

    @Test
    void clientCloseEndsItsSessionsPolitely() throws Exception {
        RtmpClient other = RtmpClient.create(RtmpClientConfig.builder().commandTimeout(Duration.ofSeconds(5)).build());
        RtmpPublishSession pub = await(other.publish(base + "/live/bye"));
        other.close();
        await(pub.closeFuture());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.hub().stream(StreamKey.of("live", "bye")) != null
                && server.hub().stream(StreamKey.of("live", "bye")).isPublishing()) {
            assertTrue(System.nanoTime() < deadline, "the server saw the unpublish");
            Thread.sleep(10);
        }
        RtmpClientException e = assertInstanceOf(RtmpClientException.class,
                failure(other.publish(base + "/live/bye")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}

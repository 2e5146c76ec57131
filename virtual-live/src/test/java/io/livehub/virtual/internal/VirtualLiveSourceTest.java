package io.livehub.virtual.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.event.EventDispatcher;
import io.livehub.http.HttpRoutes;
import io.livehub.hub.HubConfig;
import io.livehub.hub.StreamHub;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.spi.ClientRegistry;
import io.livehub.spi.ServerContext;
import io.livehub.spi.Transport;
import io.livehub.virtual.MediaFileReader;
import io.livehub.virtual.VirtualLiveModule;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Checks the timeline a source makes of a short synthetic file: timestamps continue across the
 * loop seams with the same tracks, a start offset starts at a keyframe, and the file is closed.
 * The file lasts 160 ms, so the runs are short; nothing here asserts on time.
 */
class VirtualLiveSourceTest {

    private static final StreamKey KEY = StreamKey.of("live", "synthetic");
    private static final Track VIDEO = Track.builder(CodecId.H264).timebase(Timebase.MILLIS).config(new byte[] {1})
            .build();
    private static final Track AUDIO = Track.builder(CodecId.AAC).timebase(new Timebase(1, 44100))
            .config(new byte[] {0x12, 0x10}).build();

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final ExecutorService readers = Executors.newSingleThreadExecutor();
    private final StreamHub hub = new StreamHub(HubConfig.defaults());
    private final EventDispatcher events = new EventDispatcher(List.of(), Duration.ofSeconds(5), 1);

    @AfterEach
    void close() throws InterruptedException {
        events.close();
        readers.shutdown();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Video at 0, 40, 80 (key), 120 ms, key at 0 too; AAC frames of 1024 samples at 44.1 kHz. */
    private static final class SyntheticReader implements MediaFileReader {
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger rewinds = new AtomicInteger();
        private final List<long[]> frames = List.of(
                new long[] {1, 0, 1}, new long[] {0, 0, 0}, new long[] {1, 40, 0}, new long[] {0, 1024, 0},
                new long[] {0, 2048, 0}, new long[] {1, 80, 1}, new long[] {0, 3072, 0}, new long[] {0, 4096, 0},
                new long[] {1, 120, 0}, new long[] {0, 5120, 0});
        private int next;
        /** The frame index at which the file turns out malformed, or -1. */
        int failAt = -1;

        @Override
        public MediaFrame next() {
            if (next == failAt) {
                throw new MalformedMediaException("synthetic: sample " + next + " is malformed");
            }
            if (next == frames.size()) {
                return null;
            }
            long[] f = frames.get(next++);
            Track t = f[0] == 1 ? VIDEO : AUDIO;
            return MediaFrame.of(t, f[1], f[1], f[0] == 0 || f[2] == 1, Unpooled.wrappedBuffer(new byte[] {9}));
        }

        @Override
        public void rewind() {
            rewinds.incrementAndGet();
            next = 0;
        }

        @Override
        public String name() {
            return "synthetic";
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    /** Collects what a player would get: track and decode time in ms. */
    private static final class Collector implements StreamSubscriber {
        final EventExecutor executor;
        final List<String> video = new CopyOnWriteArrayList<>();
        final List<Long> audio = new CopyOnWriteArrayList<>();
        final List<Track> tracks = new CopyOnWriteArrayList<>();

        Collector(EventExecutor executor) {
            this.executor = executor;
        }

        @Override
        public EventExecutor executor() {
            return executor;
        }

        @Override
        public void onFrame(MediaFrame f) {
            if (!tracks.contains(f.track())) {
                tracks.add(f.track());
            }
            if (f.isVideo()) {
                video.add(f.dts() + (f.isKeyframe() ? "k" : ""));
            } else {
                audio.add(f.dts());
            }
        }
    }

    private ServerContext context() {
        ClientRegistry clients = new ClientRegistry();
        io.livehub.session.ClientSessions sessions = new io.livehub.session.ClientSessions(hub, events, clients,
                io.livehub.session.VhostResolver.defaultOnly(), new java.util.concurrent.atomic.AtomicLong());
        HttpRoutes routes = new HttpRoutes();
        AtomicInteger ids = new AtomicInteger();
        return new ServerContext() {
            @Override
            public StreamHub hub() {
                return hub;
            }

            @Override
            public EventDispatcher events() {
                return events;
            }

            @Override
            public Transport transport() {
                return null;
            }

            @Override
            public HttpRoutes http() {
                return routes;
            }

            @Override
            public void reportPort(String name, int port) {
            }

            @Override
            public ClientRegistry clients() {
                return clients;
            }

            @Override
            public String nextClientId() {
                return "c" + ids.incrementAndGet();
            }

            @Override
            public io.livehub.session.ClientSessions sessions() {
                return sessions;
            }

            @Override
            public String serverId() {
                return "vid-test000";
            }
        };
    }

    private Collector play(SyntheticReader reader, long loops, long offsetMicros) throws Exception {
        Collector c = new Collector(loop);
        Subscription sub = hub.subscribe(KEY, c);
        ServerContext ctx = context();
        VirtualLiveSource source = new VirtualLiveSource(KEY, "synthetic", "c1", loops, offsetMicros, reader, readers,
                loop, 4, 1 << 20, s -> { });
        FilePublisherSession session = FilePublisherSession.open(ctx, KEY, "synthetic", Map.of(), loop, source::stop)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        loop.execute(() -> source.start(session));
        source.ended().get(10, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS); // the last drain has run
        sub.close();
        return c;
    }

    @Test
    void timestampsContinueAcrossSeamsWithTheSameTracks() throws Exception {
        SyntheticReader reader = new SyntheticReader();
        Collector c = play(reader, 3, 0);
        // A pass lasts until the end of its longest track: video 120 + 40 = 160 ms (audio ends at 139).
        assertEquals(List.of("0k", "40", "80k", "120", "160k", "200", "240k", "280", "320k", "360", "400k", "440"),
                c.video);
        List<Long> audio = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            long shift = Timebase.MILLIS.rescale(160L * pass, new Timebase(1, 44100));
            for (long t = 0; t <= 5120; t += 1024) {
                audio.add(t + shift);
            }
        }
        assertEquals(audio, c.audio);
        assertEquals(2, c.tracks.size(), "no new track (sequence header) at the seams");
        assertSame(VIDEO, c.tracks.get(0));
        assertEquals(2, reader.rewinds.get());
        assertEquals(1, reader.closes.get());
    }

    @Test
    void aStartOffsetStartsAtTheNextKeyframeAndOnlyTheFirstPass() throws Exception {
        SyntheticReader reader = new SyntheticReader();
        Collector c = play(reader, 2, 50_000);
        // Pass 1 from the keyframe at 80 ms: 80 -> 0, 120 -> 40; it lasts 160 - 80 = 80 ms.
        assertEquals(List.of("0k", "40", "80k", "120", "160k", "200"), c.video);
        assertTrue(c.audio.stream().allMatch(t -> t >= 0), "audio before the start keyframe is dropped: " + c.audio);
        assertEquals(2 + 6, c.audio.size(), "two audio frames after the keyframe, then a whole pass: " + c.audio);
        assertEquals(1, reader.closes.get());
    }

    @Test
    void aFileMalformedMidwayEndsItsStreamAndClosesTheFile() throws Exception {
        SyntheticReader reader = new SyntheticReader();
        reader.failAt = 5;
        Collector c = play(reader, VirtualLiveModule.FOREVER, 0);
        assertEquals(List.of("0k", "40"), c.video, "the frames read before the bad one still play");
        assertEquals(List.of(0L, 1024L, 2048L), c.audio);
        assertEquals(1, reader.closes.get());
        assertTrue(hub.stream(KEY) == null || !hub.stream(KEY).isPublishing(), "unpublished");
    }
}

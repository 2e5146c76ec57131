package io.livehub.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.MediaServerListener;
import io.livehub.event.RecordBeginEvent;
import io.livehub.event.RecordEndEvent;
import io.livehub.hub.HubConfig;
import io.livehub.hub.Publication;
import io.livehub.media.CodecId;
import io.livehub.media.StreamKey;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the record module through the hub with synthetic frames (25 fps H.264 with a keyframe
 * every second, 1024-sample AAC at 44.1 kHz, the codec configurations of core's FLV test file):
 * what starts a new file, and the run-time API.
 */
class Mp4RecordModuleTest {

    private static final StreamKey KEY = StreamKey.of("live", "synth");
    private static Track video;
    private static Track audio;

    @TempDir
    Path dir;

    private MediaServer server;
    private Mp4RecordModule module;
    private final BlockingQueue<RecordBeginEvent> begins = new LinkedBlockingQueue<>();
    private final BlockingQueue<RecordEndEvent> ends = new LinkedBlockingQueue<>();

    @BeforeAll
    static void tracks() {
        video = SyntheticMedia.VIDEO;
        audio = SyntheticMedia.AUDIO;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Mp4RecordModule.Builder b) throws Exception {
        module = b.build();
        // Media is published faster than real time: the hub must not smooth it.
        server = MediaServer.builder().httpPort(0).hub(HubConfig.builder().timestampCorrection(false).build())
                .module(module)
                .listener(new MediaServerListener() {
                    @Override
                    public void onRecordBegin(RecordBeginEvent event) {
                        begins.add(event);
                    }

                    @Override
                    public void onRecordEnd(RecordEndEvent event) {
                        ends.add(event);
                    }
                })
                .start();
    }

    private Publication publisher() throws Exception {
        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "synth");
        Await.until(() -> server.hub().stream(KEY).subscriberCount() == 1, 10, "the recorder subscribes");
        return p;
    }

    private static void feed(Publication p, long fromMs, long toMs, Track audioTrack) throws Exception {
        SyntheticMedia.feed(p, fromMs, toMs, audioTrack);
    }

    private static void feedSlowly(Publication p, long fromMs, long toMs, Track audioTrack) throws Exception {
        SyntheticMedia.feedSlowly(p, fromMs, toMs, audioTrack);
    }

    private RecordEndEvent end() throws InterruptedException {
        RecordEndEvent e = ends.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no record end");
        return e;
    }

    @Test
    void aTimestampJumpStartsANewFile() throws Exception {
        start(Mp4RecordModule.builder(dir).all());
        Publication p = publisher();
        feedSlowly(p, 0, 3000, audio);
        feedSlowly(p, 60_000, 63_000, audio);
        p.close();
        RecordEndEvent first = end();
        RecordEndEvent second = end();
        assertEquals(0, first.artifactCode());
        assertNotEquals(first.path(), second.path());
        assertNotEquals(first.recordId(), second.recordId());
        assertEquals(3.0, first.duration().toMillis() / 1000.0, 0.1, first::toString);
        assertEquals(3.0, second.duration().toMillis() / 1000.0, 0.1, second::toString);
        assertNull(ends.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void aReconnectStartsANewFile() throws Exception {
        start(Mp4RecordModule.builder(dir).app("live"));
        Publication p = publisher();
        feedSlowly(p, 0, 2000, audio);
        p.close();
        RecordEndEvent first = end();
        Publication again = publisher();
        feedSlowly(again, 0, 2000, audio);
        again.close();
        RecordEndEvent second = end();
        assertNotEquals(first.path(), second.path());
        assertEquals(2, begins.size());
        assertTrue(Files.exists(first.path()) && Files.exists(second.path()));
    }

    @Test
    void aCodecChangeStartsANewFile() throws Exception {
        start(Mp4RecordModule.builder(dir).stream(KEY));
        Publication p = publisher();
        feedSlowly(p, 0, 2000, audio);
        // AAC LC, 48 kHz stereo: another AudioSpecificConfig on the same track id.
        Track other = Track.builder(CodecId.AAC).id(audio.id()).timebase(Timebase.MILLIS).config(new byte[] {0x11, (byte) 0x90})
                .audio(48000, 2).build();
        feedSlowly(p, 2000, 4000, other);
        p.close();
        RecordEndEvent first = end();
        RecordEndEvent second = end();
        assertEquals(2.0, first.duration().toMillis() / 1000.0, 0.1, first::toString);
        // The change came after the keyframe at 2 s: the new file starts at the next one, at 3 s.
        assertEquals(1.0, second.duration().toMillis() / 1000.0, 0.1, second::toString);
    }

    @Test
    void startAndStopAtRunTime() throws Exception {
        start(Mp4RecordModule.builder(dir)); // records nothing until told
        Publication p = publisher0();
        feed(p, 0, 500, audio);
        assertTrue(module.recordings().isEmpty());
        module.start(KEY);
        Await.until(() -> server.hub().stream(KEY).subscriberCount() == 1, 10, "the recorder subscribes");
        feedSlowly(p, 500, 3000, audio);
        Await.until(() -> !module.recordings().isEmpty(), 10, "a recording is listed");
        RecordingInfo info = module.recordings().get(0);
        assertEquals(KEY, info.stream());
        assertEquals(begins.peek().recordId(), info.recordId());
        assertTrue(info.bytes() > 0);
        module.stop(KEY).toCompletableFuture().get(20, TimeUnit.SECONDS);
        RecordEndEvent e = end();
        assertEquals(0, e.artifactCode());
        assertTrue(module.recordings().isEmpty());
        feedSlowly(p, 3000, 4000, audio);
        assertNull(ends.poll(300, TimeUnit.MILLISECONDS));
        assertEquals(1, begins.size(), "a stopped stream is not recorded again");
        assertEquals(1, module.filesFinished());
    }

    private Publication publisher0() {
        return server.hub().publish(KEY, server.transport().workerGroup().next(), "synth");
    }
}

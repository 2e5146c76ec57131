package io.livehub.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.MediaServerListener;
import io.livehub.event.RecordBeginEvent;
import io.livehub.event.RecordEndEvent;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records streams that ffmpeg publishes over RTMP (H.264 High with B-frames + AAC) and checks
 * the files with ffprobe and ffmpeg: both tracks, every frame, the duration sent, moov before
 * mdat, audio and video starting together.
 */
@Tag("interop")
class Mp4RecordInteropTest {

    @TempDir
    Path dir;

    private MediaServer server;
    private final BlockingQueue<RecordBeginEvent> begins = new LinkedBlockingQueue<>();
    private final BlockingQueue<RecordEndEvent> ends = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private MediaServer start(Mp4RecordModule module) throws Exception {
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
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
        return server;
    }

    /**
     * Publishes {@code seconds} of 30 fps video (keyframe every second, 2 B-frames) and 44.1 kHz
     * AAC to {@code url}; with {@code -re} unless the target is a file.
     */
    static ExternalProcess.Result publish(Path dir, String url, int seconds) throws Exception {
        boolean live = url.startsWith("rtmp:");
        List<String> args = new java.util.ArrayList<>(List.of("-hide_banner", "-loglevel", "error"));
        if (live) {
            args.add("-re");
        }
        args.addAll(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(seconds), "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-profile:v", "high", "-bf", "2", "-g", "30", "-preset", "veryfast",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", url));
        return ExternalProcess.run(dir, seconds + 30, "ffmpeg", args.toArray(new String[0]));
    }

    @Test
    void recordsAnRtmpPublishAsAFastStartMp4() throws Exception {
        start(Mp4RecordModule.builder(dir.resolve("rec")).all().build());
        // The same encode to a file says how many frames were sent (lavfi sources are deterministic).
        Path ref = dir.resolve("ref.flv");
        ExternalProcess.Result sentFile = publish(dir, ref.toString(), 10);
        assertEquals(0, sentFile.exitCode(), sentFile::describe);
        ExternalProcess.Result r = publish(dir, "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/cam1", 10);
        assertEquals(0, r.exitCode(), r::describe);

        RecordBeginEvent begin = begins.poll(20, TimeUnit.SECONDS);
        assertNotNull(begin, "no record begin");
        RecordEndEvent end = ends.poll(20, TimeUnit.SECONDS);
        assertNotNull(end, "no record end");
        assertEquals(0, end.artifactCode());
        assertEquals(begin.recordId(), end.recordId());
        assertEquals(StreamKey.of("live", "cam1"), end.stream());
        assertEquals("record", end.protocol());
        Path file = end.path();
        assertTrue(file.startsWith(dir.resolve("rec/live")), file::toString);
        assertTrue(file.getFileName().toString().matches("cam1-\\d+\\.mp4"), file::toString);
        assertEquals(Files.size(file), end.size());
        try (var s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList(), "no .part, .tmp or sidecar is left");
        }

        assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(file));
        Map<String, Map<String, String>> streams = Mp4Probe.streams(dir, file);
        Map<String, Map<String, String>> sent = Mp4Probe.streams(dir, ref);
        assertEquals(List.of("video", "audio"), List.copyOf(streams.keySet()), streams::toString);
        assertEquals("h264", streams.get("video").get("codec_name"));
        assertEquals("aac", streams.get("audio").get("codec_name"));
        assertEquals(300, Long.parseLong(streams.get("video").get("nb_read_frames")), streams::toString);
        long audioSent = Long.parseLong(sent.get("audio").get("nb_read_frames"));
        long audio = Long.parseLong(streams.get("audio").get("nb_read_frames"));
        // The recording starts at the first video keyframe; the audio before it (up to the
        // recorder's subscription, at most a few frames) is left out.
        assertTrue(audio <= audioSent && audio >= audioSent - 3, audio + " of " + audioSent);
        double duration = Mp4Probe.formatDuration(dir, file);
        assertEquals(10.0, duration, 0.2);
        assertEquals(duration, end.duration().toMillis() / 1000.0, 0.2);
        double vStart = Double.parseDouble(streams.get("video").get("start_time"));
        double aStart = Double.parseDouble(streams.get("audio").get("start_time"));
        assertTrue(Math.abs(vStart - aStart) < 0.05, streams::toString);
        assertEquals("", Mp4Probe.decodeErrors(dir, file));
    }

    @Test
    void segmentPlanCutsFilesAtKeyframes() throws Exception {
        start(Mp4RecordModule.builder(dir.resolve("rec")).all().plan(RecordPlan.SEGMENT)
                .segmentDuration(Duration.ofSeconds(4)).build());
        ExternalProcess.Result r = publish(dir, "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/seg", 12);
        assertEquals(0, r.exitCode(), r::describe);
        double total = 0;
        for (int i = 0; i < 3; i++) {
            RecordEndEvent end = ends.poll(20, TimeUnit.SECONDS);
            assertNotNull(end, "segment " + i);
            assertEquals(0, end.artifactCode());
            Map<String, Map<String, String>> streams = Mp4Probe.streams(dir, end.path());
            assertEquals(4.0, Mp4Probe.formatDuration(dir, end.path()), 0.2, end::toString);
            total += Mp4Probe.formatDuration(dir, end.path());
            assertEquals(120, Long.parseLong(streams.get("video").get("nb_read_frames")), streams::toString);
            ExternalProcess.Result first = ExternalProcess.run(dir, 30, "ffprobe", "-v", "error", "-select_streams", "v",
                    "-read_intervals", "%+#1", "-show_entries", "packet=flags", "-of", "csv=p=0", end.path().toString());
            assertTrue(first.output().startsWith("K"), first.output());
        }
        assertEquals(12.0, total, 0.3);
        assertEquals(null, ends.poll(1, TimeUnit.SECONDS));
    }

    @Test
    void aFullDiskEndsTheRecordingAndThePlayersGoOn() throws Exception {
        // The fragmented file may take 150 kB (about 2 s), then the disk is full.
        Mp4RecordModule module = Mp4RecordModule.builder(dir.resolve("rec")).all()
                .channels(new FailingChannels(Mp4RecordingWriter.PART_SUFFIX, 150_000)).build();
        start(module);
        String url = "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/full";
        try (ExternalProcess publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "12",
                "-c:v", "libx264", "-g", "30", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-f", "flv", url)) {
            assertNotNull(begins.poll(20, TimeUnit.SECONDS), "no record begin");
            // A player joins and plays 6 s while the recording fails under it.
            ExternalProcess.Result player = ExternalProcess.run(dir, 30, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-i", url, "-t", "6", "-f", "null", "-");
            RecordEndEvent end = ends.poll(20, TimeUnit.SECONDS);
            assertNotNull(end, "no record end");
            assertEquals(ArtifactCode.WRITE_FAILED, end.artifactCode(), end::toString);
            assertEquals(1, module.writeErrors());
            assertEquals(0, player.exitCode(), player::describe);
            assertTrue(publisher.isAlive(), "the publisher goes on");
            // What was written before the disk filled up is kept, finished.
            assertTrue(Files.exists(end.path()), end::toString);
            assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(end.path()));
            assertTrue(end.duration().toMillis() > 500, end::toString);
            assertTrue(module.recordings().isEmpty(), "no recording until the next publish");
        }
    }

    @Test
    void recordsFlvAsTheCheapAlternative() throws Exception {
        start(Mp4RecordModule.builder(dir.resolve("rec")).app("live").format(RecordFormat.FLV).build());
        ExternalProcess.Result r = publish(dir, "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/f", 6);
        assertEquals(0, r.exitCode(), r::describe);
        RecordBeginEvent begin = begins.poll(20, TimeUnit.SECONDS);
        assertNotNull(begin);
        RecordEndEvent end = ends.poll(20, TimeUnit.SECONDS);
        assertNotNull(end);
        assertEquals(0, end.artifactCode());
        assertTrue(end.path().getFileName().toString().endsWith(".flv"), end::toString);
        Map<String, Map<String, String>> streams = Mp4Probe.streams(dir, end.path());
        assertEquals(180, Long.parseLong(streams.get("video").get("nb_read_frames")), streams::toString);
        assertEquals("aac", streams.get("audio").get("codec_name"));
        assertEquals(6.0, end.duration().toMillis() / 1000.0, 0.2);
        assertEquals("", Mp4Probe.decodeErrors(dir, end.path()));
    }
}

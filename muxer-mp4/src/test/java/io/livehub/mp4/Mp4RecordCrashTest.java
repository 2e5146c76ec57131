package io.livehub.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.MediaServerListener;
import io.livehub.event.RecordEndEvent;
import io.livehub.media.StreamKey;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Interop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a recording server (SIGKILL, in its own JVM) while ffmpeg publishes to it, checks that
 * the file it leaves plays up to about its last fragment, and that the next start finishes it
 * and reports it with a non-zero artifact code.
 */
@Tag("interop")
class Mp4RecordCrashTest {

    @TempDir
    Path dir;

    @Test
    void aKilledRecorderLeavesAPlayableFileThatTheNextStartFinishes() throws Exception {
        Interop.require("ffmpeg");
        Path root = dir.resolve("rec");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", RecordServerMain.class.getName(), root.toString())
                .redirectErrorStream(true).start();
        Path part;
        long begunAt;
        double recorded;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int port = Integer.parseInt(awaitLine(out, "RTMP ").substring(5).trim());
            try (ExternalProcess publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "30",
                    "-c:v", "libx264", "-profile:v", "high", "-bf", "2", "-g", "30", "-preset", "veryfast",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv",
                    "rtmp://127.0.0.1:" + port + "/live/crash")) {
                Path target = Path.of(awaitLine(out, "BEGIN ").substring(6).trim());
                part = target.resolveSibling(target.getFileName() + Mp4RecordingWriter.PART_SUFFIX);
                begunAt = System.nanoTime();
                Thread.sleep(8000);
                recorded = (System.nanoTime() - begunAt) / 1e9;
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            child.destroyForcibly();
        }
        assertTrue(Files.exists(part), part::toString);
        // The killed file plays up to its last complete fragment: at most ~2 s are lost.
        double left = Mp4Probe.formatDuration(dir, part);
        assertTrue(left >= recorded - 2, left + " s left of " + recorded + " s recorded");
        var partStreams = Mp4Probe.streams(dir, part);
        assertEquals(List.of("video", "audio"), List.copyOf(partStreams.keySet()), partStreams::toString);

        BlockingQueue<RecordEndEvent> ends = new LinkedBlockingQueue<>();
        try (MediaServer server = MediaServer.builder().httpPort(0)
                .module(Mp4RecordModule.builder(root).all().build())
                .listener(new MediaServerListener() {
                    @Override
                    public void onRecordEnd(RecordEndEvent event) {
                        ends.add(event);
                    }
                })
                .start()) {
            RecordEndEvent end = ends.poll(20, TimeUnit.SECONDS);
            assertNotNull(end, "no record end for the recovered file");
            assertEquals(ArtifactCode.RECOVERED, end.artifactCode());
            assertEquals(StreamKey.of("live", "crash"), end.stream());
            assertTrue(!end.recordId().isEmpty());
            Path finished = end.path();
            assertEquals(part.resolveSibling(part.getFileName().toString().replace(".part", "")), finished);
            assertTrue(Files.exists(finished));
            assertTrue(!Files.exists(part));
            assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(finished));
            double duration = Mp4Probe.formatDuration(dir, finished);
            assertEquals(left, duration, 0.2);
            assertEquals(duration, end.duration().toMillis() / 1000.0, 0.2);
            assertEquals("", Mp4Probe.decodeErrors(dir, finished));
        }
    }

    private static String awaitLine(BufferedReader out, String prefix) throws Exception {
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the server ended before printing " + prefix + ":\n" + seen);
    }
}

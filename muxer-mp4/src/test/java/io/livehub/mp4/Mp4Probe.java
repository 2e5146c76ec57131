package io.livehub.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livehub.testing.ExternalProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what tests check of an MP4 file: its top-level boxes, and what ffprobe says. */
final class Mp4Probe {

    private Mp4Probe() {
    }

    /** Returns the types of the top-level boxes of {@code file}, in order. */
    static List<String> topLevelBoxes(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = 0;
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(16);
            while (pos + 8 <= size) {
                h.clear();
                ch.read(h, pos);
                long boxSize = Integer.toUnsignedLong(h.getInt(0));
                if (boxSize == 1) {
                    boxSize = h.getLong(8);
                }
                byte[] t = new byte[4];
                h.get(4, t);
                out.add(new String(t, java.nio.charset.StandardCharsets.ISO_8859_1));
                if (boxSize < 8) {
                    break;
                }
                pos += boxSize;
            }
        }
        return out;
    }

    /**
     * Runs ffprobe with {@code -count_frames} and returns per stream (by codec_type) its
     * {@code key=value} fields: codec_name, start_time, duration, nb_read_frames.
     */
    static Map<String, Map<String, String>> streams(Path dir, Path file) throws IOException, InterruptedException {
        ExternalProcess.Result r = ExternalProcess.run(dir, 60, "ffprobe", "-v", "error", "-count_frames",
                "-show_entries", "stream=codec_type,codec_name,start_time,duration,nb_read_frames",
                "-of", "default=nw=1", file.toString());
        assertEquals(0, r.exitCode(), r::describe);
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : r.output().split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = line.substring(0, eq).trim();
            String v = line.substring(eq + 1).trim();
            if (k.equals("codec_name")) {
                current = new LinkedHashMap<>();
            }
            if (current != null) {
                current.put(k, v);
                if (k.equals("codec_type")) {
                    out.put(v, current);
                }
            }
        }
        return out;
    }

    /** Returns the container duration ffprobe reports, in seconds. */
    static double formatDuration(Path dir, Path file) throws IOException, InterruptedException {
        ExternalProcess.Result r = ExternalProcess.run(dir, 60, "ffprobe", "-v", "error", "-show_entries",
                "format=duration", "-of", "default=nw=1:nk=1", file.toString());
        assertEquals(0, r.exitCode(), r::describe);
        return Double.parseDouble(r.output().trim().split("\n")[0]);
    }

    /** Decodes the whole file with ffmpeg and returns what it printed at level error. */
    static String decodeErrors(Path dir, Path file) throws IOException, InterruptedException {
        ExternalProcess.Result r = ExternalProcess.run(dir, 120, "ffmpeg", "-v", "error", "-i", file.toString(),
                "-f", "null", "-");
        assertEquals(0, r.exitCode(), r::describe);
        return r.output().trim();
    }
}

package io.livehub.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livehub.testing.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes short test files with ffmpeg (lavfi testsrc and sine): 25 fps video with a keyframe
 * every second and 44.1 kHz audio, in the containers and codecs virtual live reads.
 */
final class TestMedia {

    /** The media duration of every file, in seconds. */
    static final double SECONDS = 2.5;

    /** One kind of file: its name and the ffmpeg output options that make it. */
    enum Kind {
        /** H.264 with B-frames and AAC, progressive with the moov first. */
        H264_AAC_MP4("h264_aac.mp4", "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-c:a", "aac",
                "-movflags", "+faststart"),
        /** H.264 and AAC, fragmented at each keyframe with an empty moov. */
        FRAGMENTED_MP4("fragmented.mp4", "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-c:a", "aac",
                "-movflags", "frag_keyframe+empty_moov"),
        /** H.264 and AAC in FLV. */
        FLV("h264_aac.flv", "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-c:a", "aac", "-f", "flv"),
        /** H.265 (hvc1) and AAC, progressive. */
        H265_MP4("h265_aac.mp4", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
                "-tag:v", "hvc1", "-c:a", "aac");

        final String file;
        final String[] options;

        Kind(String file, String... options) {
            this.file = file;
            this.options = options;
        }
    }

    private TestMedia() {
    }

    /** Makes {@code kind}'s file in {@code dir} (once) and returns its path. */
    static Path make(Path dir, Kind kind) throws Exception {
        return make(dir, kind.file, kind.options);
    }

    /** Makes {@code name} in {@code dir} with the given ffmpeg output options, unless it exists. */
    static Path make(Path dir, String name, String... options) throws Exception {
        Path out = dir.resolve(name);
        if (Files.exists(out)) {
            return out;
        }
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", String.valueOf(SECONDS), "-g", "25", "-pix_fmt", "yuv420p", "-b:a", "64k"));
        args.addAll(List.of(options));
        args.add(out.toString());
        ExternalProcess.Result r = ExternalProcess.run(dir, 120, "ffmpeg", args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.describe());
        return out;
    }
}

package io.livehub.mp4.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.mp4.FileChannelFactory;
import io.livehub.mp4.Mp4Finisher;
import io.livehub.mp4.RecordingResult;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Fuzzes the path of a file found under a record root: {@link FragmentedFile} reads it back and
 * {@link Mp4Finisher} writes the progressive file. A file is as hostile as the wire (anything can
 * be put under a root), so only {@link IOException}s ({@link MalformedFileException} for bad
 * input) may escape, and a finished file must be a readable size.
 *
 * <p>Seeds live in {@code FragmentedFileFuzzTestInputs/finishes/} (fragmented files from ffmpeg,
 * whole and cut inside an {@code mdat}, and a file that is not MP4) and run as regression tests
 * in a plain {@code mvn test}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class FragmentedFileFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void finishes(byte[] input) throws IOException {
        Path dir = Files.createTempDirectory("livehub-fuzz");
        try {
            Path part = dir.resolve("in.mp4.part");
            Files.write(part, input);
            try {
                RecordingResult r = Mp4Finisher.finish(part, dir.resolve("in.mp4"), false, FileChannelFactory.DEFAULT,
                        ByteBufAllocator.DEFAULT);
                if (r.size() <= 0 || r.duration().isNegative()) {
                    throw new AssertionError("finished file of " + r.size() + " bytes, " + r.duration());
                }
            } catch (IOException expected) {
                // A file that is not a fragmented MP4 is refused, as recovery sets it aside.
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}

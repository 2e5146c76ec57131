package io.livehub.virtual.mp4;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.virtual.UnsupportedMediaException;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;

/**
 * Fuzzes the MP4 reader with whole files: the box walk, the sample tables, the fragments and
 * the samples, then a rewind and a second pass. Only {@link MalformedMediaException} and
 * {@link UnsupportedMediaException} may escape, and every frame must be freed (the leak
 * detector runs in paranoid mode).
 *
 * <p>Seeds live in {@code Mp4FuzzTestInputs/readsFile/} (small ffmpeg files and hand-built
 * boxes) and run as regression tests in a plain {@code mvn test}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class Mp4FuzzTest {

    /** Kept small so the fuzzer reaches the limit checks often. */
    private static final Mp4Limits LIMITS = Mp4Limits.builder().maxBoxSize(64 * 1024).maxMoofSize(64 * 1024)
            .maxSamples(10_000).maxFragmentSamples(1_000).maxSampleSize(64 * 1024).maxTracks(4).build();
    private static final int MAX_FRAMES = 2_000;

    @FuzzTest(maxDuration = "30s")
    void readsFile(byte[] input) throws IOException {
        Mp4Reader r;
        try {
            r = Mp4Reader.open(RandomAccessInput.of(input), "fuzz.mp4", LIMITS, PooledByteBufAllocator.DEFAULT, null);
        } catch (MalformedMediaException | UnsupportedMediaException expected) {
            return;
        }
        try (r) {
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < MAX_FRAMES; i++) {
                    MediaFrame f = r.next();
                    if (f == null) {
                        break;
                    }
                    if (f.content().readableBytes() == 0) {
                        f.release();
                        throw new AssertionError("empty frame " + f);
                    }
                    f.release();
                }
                r.rewind();
            }
        } catch (MalformedMediaException expected) {
            // Bad input ends the stream, as it ends a virtual live source.
        }
    }
}

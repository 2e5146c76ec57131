package io.livehub.virtual.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.flv.FlvTagDecoder;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.virtual.UnsupportedMediaException;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads core's FLV test files (legacy H.264/AAC and H.264/MP3, enhanced HEVC/Opus and AV1; their
 * frame counts are ffprobe's, see core's FlvFileTest) through the file reader, twice.
 */
class FlvFileReaderTest {

    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/io/livehub/flv/" + name)) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    private static int[] readPass(FlvFileReader r, Track[] tracks) throws IOException {
        int video = 0;
        int audio = 0;
        long[] last = {Long.MIN_VALUE, Long.MIN_VALUE};
        MediaFrame f;
        while ((f = r.next()) != null) {
            try {
                int i = f.isVideo() ? 0 : 1;
                assertTrue(f.dts() >= last[i], "dts does not go back within a pass: " + f);
                last[i] = f.dts();
                if (tracks[i] == null) {
                    tracks[i] = f.track();
                }
                assertSame(tracks[i], f.track(), "one track per kind, kept across passes");
                if (f.isVideo()) {
                    video++;
                } else {
                    audio++;
                }
            } finally {
                f.release();
            }
        }
        assertNull(r.next(), "stays at the end");
        return new int[] {video, audio};
    }

    @ParameterizedTest
    @CsvSource({
        "h264_aac.flv,  H264, AAC,  25, 45",
        "h264_mp3.flv,  H264, MP3,  25, 40",
        "hevc_opus.flv, H265, OPUS, 25, 51",
        "av1.flv,       AV1,  ,     25, 0",
    })
    void readsLegacyAndEnhancedFlvTwice(String name, CodecId video, CodecId audio, int videoFrames, int audioFrames)
            throws IOException {
        try (FlvFileReader r = FlvFileReader.open(resource(name), FlvTagDecoder.DEFAULT_MAX_TAG_SIZE,
                PooledByteBufAllocator.DEFAULT)) {
            Track[] tracks = new Track[2];
            int[] first = readPass(r, tracks);
            assertEquals(videoFrames, first[0]);
            assertEquals(audioFrames, first[1]);
            assertEquals(video, tracks[0].codec());
            if (audio != null) {
                assertEquals(audio, tracks[1].codec());
            }
            r.rewind();
            assertEquals(Arrays.toString(first), Arrays.toString(readPass(r, tracks)));
        }
    }

    @Test
    void refusesATagLargerThanTheLimitAndUnknownCodecs() throws IOException {
        Path file = resource("h264_aac.flv");
        try (FlvFileReader r = FlvFileReader.open(file, 64, PooledByteBufAllocator.DEFAULT)) {
            throw new AssertionError("opened with 64-byte tags: " + r.name());
        } catch (MalformedMediaException expected) {
            assertTrue(expected.getMessage().startsWith("h264_aac.flv: "), expected.getMessage());
        }
        // The same file with its video codec id changed to 4 (On2 VP6) in every video tag.
        byte[] b = Files.readAllBytes(file);
        for (int pos = 13; pos + 11 < b.length; ) {
            int size = (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
            if ((b[pos] & 0x1F) == 9 && size > 0) {
                b[pos + 11] = (byte) (b[pos + 11] & 0xF0 | 4);
            }
            pos += 11 + size + 4;
        }
        Path vp6 = dir.resolve("vp6.flv");
        Files.write(vp6, b);
        UnsupportedMediaException e = assertThrows(UnsupportedMediaException.class,
                () -> FlvFileReader.open(vp6, FlvTagDecoder.DEFAULT_MAX_TAG_SIZE, PooledByteBufAllocator.DEFAULT));
        assertEquals("unsupported video codec 'vp6' in vp6.flv", e.getMessage());
    }
}

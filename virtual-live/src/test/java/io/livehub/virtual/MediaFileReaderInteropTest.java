package io.livehub.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.testing.Ffprobe;
import io.livehub.virtual.flv.FlvFileReader;
import io.livehub.virtual.internal.MediaFiles;
import io.livehub.virtual.mp4.Mp4Reader;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reads files made by ffmpeg and compares what the readers yield with what ffprobe says of the
 * same files: as many video and audio frames, the same keyframes, increasing decode times.
 */
@Tag("interop")
class MediaFileReaderInteropTest {

    @TempDir
    static Path media;

    private static final VirtualLiveConfig CONFIG = VirtualLiveConfig.builder().mediaRoot(Path.of(".")).build();

    /** What a reader yielded for one file. */
    private record Read(int video, int audio, int keyframes, Track videoTrack, Track audioTrack) {
    }

    private static Read read(MediaFileReader r) throws Exception {
        int video = 0;
        int audio = 0;
        int keys = 0;
        Map<CodecId, Long> lastDts = new HashMap<>();
        Track vt = null;
        Track at = null;
        MediaFrame f;
        while ((f = r.next()) != null) {
            try {
                Long last = lastDts.put(f.track().codec(), f.dts());
                assertTrue(last == null || f.dts() > last, "dts increases per track: " + f);
                if (f.isVideo()) {
                    video++;
                    keys += f.isKeyframe() ? 1 : 0;
                    if (vt != null) {
                        assertSame(vt, f.track());
                    }
                    vt = f.track();
                } else {
                    audio++;
                    at = f.track();
                }
            } finally {
                f.release();
            }
        }
        return new Read(video, audio, keys, vt, at);
    }

    private static void assertMatchesFfprobe(Path file, Read read) throws Exception {
        Ffprobe p = Ffprobe.of(media, file);
        List<Ffprobe.Packet> video = p.packets("video");
        assertEquals(video.size(), read.video(), "video frames of " + file.getFileName());
        assertEquals(video.stream().filter(Ffprobe.Packet::keyframe).count(), read.keyframes(), "keyframes");
        assertEquals(p.packets("audio").size(), read.audio(), "audio frames of " + file.getFileName());
    }

    @ParameterizedTest
    @EnumSource(TestMedia.Kind.class)
    void readsWhatFfprobeSees(TestMedia.Kind kind) throws Exception {
        Path file = TestMedia.make(media, kind);
        try (MediaFileReader r = MediaFiles.open(file, CONFIG, PooledByteBufAllocator.DEFAULT)) {
            Class<?> expected = kind == TestMedia.Kind.FLV ? FlvFileReader.class : Mp4Reader.class;
            assertTrue(expected.isInstance(r), r.getClass().getName());
            Read first = read(r);
            assertMatchesFfprobe(file, first);
            assertEquals(kind == TestMedia.Kind.H265_MP4 ? CodecId.H265 : CodecId.H264, first.videoTrack().codec());
            assertEquals(320, first.videoTrack().width());
            assertEquals(CodecId.AAC, first.audioTrack().codec());
            assertEquals(44100, first.audioTrack().sampleRate());
            r.rewind();
            Read second = read(r);
            assertEquals(first, second, "a rewind reads the same frames with the same tracks");
        }
    }

    @Test
    void readsAv1AndOpusMp4() throws Exception {
        Path file = TestMedia.make(media, "av1_opus.mp4", "-c:v", "libaom-av1", "-cpu-used", "8", "-c:a", "libopus");
        try (MediaFileReader r = MediaFiles.open(file, CONFIG, PooledByteBufAllocator.DEFAULT)) {
            Read read = read(r);
            assertMatchesFfprobe(file, read);
            assertEquals(CodecId.AV1, read.videoTrack().codec());
            assertEquals(CodecId.OPUS, read.audioTrack().codec());
            assertEquals(48000, read.audioTrack().sampleRate());
        }
    }

    @Test
    void refusesUnsupportedFlvCodecsByName() throws Exception {
        Path file = TestMedia.make(media, "sorenson.flv", "-c:v", "flv1", "-c:a", "aac", "-f", "flv");
        UnsupportedMediaException e = assertThrows(UnsupportedMediaException.class,
                () -> MediaFiles.open(file, CONFIG, PooledByteBufAllocator.DEFAULT));
        assertEquals("unsupported video codec 'h263' in sorenson.flv", e.getMessage());
    }
}

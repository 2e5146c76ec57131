package io.livehub.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.testing.FlvFrames;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cuts fragments at keyframes after the fragment duration, then cuts the unfinished file at
 * awkward places, as a killed process leaves it, and finishes it with {@link Mp4Recovery}.
 * Frames are synthetic (H.264 and AAC with the configurations of core's FLV test file): 25 fps
 * video with a keyframe every 10 frames (0.4 s), 1024-sample AAC at 44.1 kHz, 4 s.
 */
class Mp4RecoveryTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static Track video;
    private static Track audio;

    @TempDir
    Path dir;

    @BeforeAll
    static void tracks() throws IOException {
        try (FlvFrames flv = FlvFrames.read("h264_aac.flv")) {
            for (Track t : flv.tracks) {
                if (t.kind() == io.livehub.media.TrackKind.VIDEO) {
                    video = t;
                } else {
                    audio = t;
                }
            }
        }
    }

    /** Writes 4 s and returns the writer, not finished; the fragments end at 1.2, 2.4 and 3.6 s. */
    private Mp4RecordingWriter record(Path target) throws IOException {
        Mp4RecordingWriter w = Mp4RecordingWriter.open(target, List.of(video, audio),
                Mp4WriterConfig.builder().fragmentDuration(Duration.ofSeconds(1)).build(), FileChannelFactory.DEFAULT,
                ALLOC);
        List<MediaFrame> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long ms = i * 40L;
            frames.add(MediaFrame.of(video, ms, ms + 80, i % 10 == 0, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, 0x65, (byte) i})));
        }
        for (int i = 0; i * 1024 * 1000L / 44100 < 4000; i++) {
            long ms = i * 1024 * 1000L / 44100;
            frames.add(MediaFrame.of(audio, ms, ms, true, Unpooled.wrappedBuffer(new byte[] {0x21, 0x10, 0x04, (byte) i})));
        }
        frames.sort((a, b) -> Long.compare(a.dts(), b.dts()));
        try {
            for (MediaFrame f : frames) {
                w.write(f);
            }
        } finally {
            frames.forEach(MediaFrame::release);
        }
        return w;
    }

    @Test
    void writesAFragmentPerKeyframeAfterTheFragmentDuration() throws Exception {
        Path target = dir.resolve("a.mp4");
        Mp4RecordingWriter w = record(target);
        w.close();
        assertEquals(List.of("ftyp", "moov", "moof", "mdat", "moof", "mdat", "moof", "mdat"),
                Mp4Probe.topLevelBoxes(w.partPath()));
    }

    @Test
    void finishesAFileCutInsideItsLastFragment() throws Exception {
        Path target = dir.resolve("rec/b.mp4");
        Mp4RecordingWriter w = record(target);
        w.close(); // a crash: the last 0.4 s were never written
        Path part = w.partPath();
        long full = Files.size(part);
        truncate(part, full - 3); // inside the third mdat
        Properties meta = new Properties();
        meta.setProperty("stream", "live/b");
        try (OutputStream out = Files.newOutputStream(part.resolveSibling("b.mp4.part" + Mp4Recovery.METADATA_SUFFIX))) {
            meta.store(out, null);
        }
        Files.writeString(dir.resolve("rec/b.mp4.tmp"), "half a finish");

        List<Mp4Recovery.Recovered> found = Mp4Recovery.recover(dir, false, FileChannelFactory.DEFAULT, ALLOC);

        assertEquals(1, found.size());
        Mp4Recovery.Recovered r = found.get(0);
        assertNull(r.error());
        assertEquals("live/b", r.metadata().get("stream"));
        assertEquals(target, r.result().path());
        // Two complete fragments: video to 2.4 s, audio to its last frame before 2.4 s.
        assertEquals(2.4, r.result().duration().toMillis() / 1000.0, 0.05);
        assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(target));
        assertFalse(Files.exists(part));
        assertFalse(Files.exists(dir.resolve("rec/b.mp4.tmp")));
        assertFalse(Files.exists(part.resolveSibling("b.mp4.part" + Mp4Recovery.METADATA_SUFFIX)));
    }

    @Test
    void finishesAFileCutInsideABoxHeaderOrRightAfterTheMoov() throws Exception {
        Path target = dir.resolve("c.mp4");
        Mp4RecordingWriter w = record(target);
        w.close();
        Path part = w.partPath();
        byte[] whole = Files.readAllBytes(part);
        long moovEnd = boxEnd(whole, 1);
        for (long cut : new long[] {moovEnd + 3, moovEnd}) {
            Files.write(part, whole);
            truncate(part, cut);
            Mp4Recovery.Recovered r = Mp4Recovery.recover(dir, false, FileChannelFactory.DEFAULT, ALLOC).get(0);
            assertNull(r.error(), () -> String.valueOf(r.error()));
            assertEquals(Duration.ZERO, r.result().duration());
            assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(target));
        }
    }

    @Test
    void keepsTheFragmentedFileCutAfterItsLastCompleteFragment() throws Exception {
        Path target = dir.resolve("d.mp4");
        Mp4RecordingWriter w = record(target);
        w.close();
        truncate(w.partPath(), Files.size(w.partPath()) - 1);
        Mp4Recovery.Recovered r = Mp4Recovery.recover(dir, true, FileChannelFactory.DEFAULT, ALLOC).get(0);
        assertNotNull(r.result());
        assertEquals(List.of("ftyp", "moov", "moof", "mdat", "moof", "mdat"), Mp4Probe.topLevelBoxes(target));
    }

    @Test
    void setsAsideAFileThatIsNotAnMp4() throws Exception {
        Files.writeString(dir.resolve("junk.mp4.part"), "this is not an mp4 file at all");
        Mp4Recovery.Recovered r = Mp4Recovery.recover(dir, false, FileChannelFactory.DEFAULT, ALLOC).get(0);
        assertNotNull(r.error());
        assertTrue(Files.exists(dir.resolve("junk.mp4.part.bad")));
        assertTrue(Mp4Recovery.recover(dir, false, FileChannelFactory.DEFAULT, ALLOC).isEmpty());
    }

    @Test
    void finishesAnFlvFileCutInsideATag() throws Exception {
        Path target = dir.resolve("e.flv");
        FlvRecordingWriter w = FlvRecordingWriter.open(target, List.of(video, audio), Mp4WriterConfig.defaults(),
                FileChannelFactory.DEFAULT, ALLOC);
        for (int i = 0; i < 50; i++) {
            MediaFrame f = MediaFrame.of(video, i * 40L, i * 40L, i % 10 == 0,
                    Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, 0x65, (byte) i}));
            try {
                w.write(f);
            } finally {
                f.release();
            }
        }
        w.end();
        truncate(w.partPath(), Files.size(w.partPath()) - 5); // inside the last tag
        Mp4Recovery.Recovered r = Mp4Recovery.recover(dir, false, FileChannelFactory.DEFAULT, ALLOC).get(0);
        assertNull(r.error());
        assertEquals(target, r.result().path());
        assertEquals(Duration.ofMillis(48 * 40), r.result().duration(), "the last complete tag is at 1.92 s");
        byte[] flv = Files.readAllBytes(target);
        assertEquals('F', flv[0]);
        int lastTagSize = ((flv[flv.length - 4] & 0xFF) << 24) | ((flv[flv.length - 3] & 0xFF) << 16)
                | ((flv[flv.length - 2] & 0xFF) << 8) | (flv[flv.length - 1] & 0xFF);
        assertEquals(11 + 5 + 6, lastTagSize, "ends with a whole tag: header, AVC body header, payload");
    }

    @Test
    void skipsAFrameMp4CannotCarryAndRefusesAChangedTrack() throws Exception {
        Mp4RecordingWriter w = Mp4RecordingWriter.open(dir.resolve("f.mp4"), List.of(video), Mp4WriterConfig.defaults(),
                FileChannelFactory.DEFAULT, ALLOC);
        long[][] times = {{0, 0}, {40, 40 + 3_000_000_000L}, {80, 80}}; // the second: an offset beyond 32 bits
        for (long[] t : times) {
            MediaFrame f = MediaFrame.of(video, t[0], t[1], t[0] == 0, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0x65}));
            try {
                w.write(f);
            } finally {
                f.release();
            }
        }
        assertEquals(2, w.framesWritten());
        assertEquals(1, w.framesSkipped());
        byte[] config = video.config();
        config[config.length - 1] ^= 1; // another PPS: the same track id with another configuration
        Track changed = Track.builder(video.codec()).id(video.id()).timebase(video.timebase()).config(config)
                .dimensions(video.width(), video.height()).build();
        MediaFrame f = MediaFrame.of(changed, 120, 120, true, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0x65}));
        try {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> w.write(f));
        } finally {
            f.release();
        }
        // Two samples of 80 ms: the skipped frame's time went to the one before it.
        assertEquals(Duration.ofMillis(160), w.finish().duration());
    }

    private static long boxEnd(byte[] file, int index) {
        long pos = 0;
        for (int i = 0; i <= index; i++) {
            int p = (int) pos;
            pos += ((file[p] & 0xFFL) << 24) | ((file[p + 1] & 0xFF) << 16) | ((file[p + 2] & 0xFF) << 8) | (file[p + 3] & 0xFF);
        }
        return pos;
    }

    private static void truncate(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
        }
    }
}

package io.livehub.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.TrackKind;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Muxes the frames of ffmpeg-made files again with {@link TsMuxer} and has ffprobe and ffmpeg
 * read the result: the same codecs, dimensions and packet counts as the source (see
 * {@link TsFileTest} for the counts), decode times that never go back, and a full decode
 * without a single error line.
 */
@Tag("interop")
class TsInteropTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "h264_aac.ts,  h264, aac,  50, 88",
        "hevc_opus.ts, hevc, opus, 50, 101",
    })
    void ffmpegReadsWhatTheMuxerWrites(String name, String videoCodec, String audioCodec, int videoPackets,
            int audioPackets) throws IOException, InterruptedException {
        ByteBuf file = TsTestSupport.resource(name);
        Path out = dir.resolve("out-" + name);
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file)) {
            ByteBuf muxed = TsTestSupport.mux(TsTestSupport.programOf(d.tracks), TsRoundTripTest.inDtsOrder(d.frames));
            try {
                byte[] bytes = new byte[muxed.readableBytes()];
                muxed.getBytes(muxed.readerIndex(), bytes);
                Files.write(out, bytes);
            } finally {
                muxed.release();
            }
            assertEquals(videoPackets, d.frames(TrackKind.VIDEO).size());
        } finally {
            file.release();
        }

        Ffprobe probe = Ffprobe.of(dir, out);
        Ffprobe.Stream video = probe.stream("video");
        Ffprobe.Stream audio = probe.stream("audio");
        assertNotNull(video, probe.toString());
        assertNotNull(audio, probe.toString());
        assertEquals(videoCodec, video.codec());
        assertEquals(audioCodec, audio.codec());
        assertEquals(320, video.width());
        assertEquals(240, video.height());
        assertEquals(videoPackets, probe.packets("video").size(), "video packets");
        assertEquals(audioPackets, probe.packets("audio").size(), "audio packets");
        assertEquals(2, probe.packets("video").stream().filter(Ffprobe.Packet::keyframe).count(), "keyframes");
        assertTrue(probe.timestampsIncrease(), "decode times never go back");

        ExternalProcess.Result decode = ExternalProcess.run(dir, 120, "ffmpeg", "-v", "error", "-i", out.toString(),
                "-f", "null", "-");
        assertEquals(0, decode.exitCode(), decode.describe());
        assertEquals("", decode.output().trim(), "ffmpeg reports no error: " + decode.describe());
    }
}

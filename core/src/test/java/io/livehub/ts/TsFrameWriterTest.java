package io.livehub.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks that outputs written from the frames' shared {@link TsFrameForm} are what a
 * {@link TsMuxer} writes, and that outputs which start at different frames each get counters,
 * PAT and PMT of their own: every output demuxes with no continuity error and every frame.
 */
class TsFrameWriterTest {

    private static Track first(List<Track> tracks, TrackKind kind) {
        return tracks.stream().filter(t -> t.kind() == kind).findFirst().orElse(null);
    }

    private static ByteBuf write(TsFrameWriter writer, List<MediaFrame> frames) {
        ByteBuf out = TsTestSupport.ALLOC.buffer();
        for (MediaFrame f : frames) {
            writer.write(f, out);
        }
        return out;
    }

    private static TsFrameWriter writer(List<Track> tracks) {
        TsFrameWriter w = new TsFrameWriter(TsMuxerConfig.defaults(), new io.livehub.media.EgressForms());
        w.tracks(first(tracks, TrackKind.VIDEO), first(tracks, TrackKind.AUDIO));
        return w;
    }

    @Test
    void writesTheBytesOfAMuxerOfTheSameTracks() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        ByteBuf muxed = null;
        ByteBuf written = null;
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file)) {
            List<MediaFrame> frames = TsRoundTripTest.inDtsOrder(d.frames);
            muxed = TsTestSupport.mux(TsTestSupport.programOf(d.tracks), frames);
            written = write(writer(d.tracks), frames);
            assertEquals(-1, TsRoundTripTest.firstDifference(muxed, written), "first differing byte");
        } finally {
            file.release();
            if (muxed != null) {
                muxed.release();
            }
            if (written != null) {
                written.release();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h264_aac.ts", "hevc_opus.ts"})
    void outputsThatJoinLaterHaveTheirOwnCountersAndEveryFrame(String name) throws IOException {
        ByteBuf file = TsTestSupport.resource(name);
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file)) {
            List<MediaFrame> frames = TsRoundTripTest.inDtsOrder(d.frames);
            int join = -1;
            int keyframes = 0;
            for (int i = 0; i < frames.size() && join < 0; i++) {
                if (frames.get(i).isVideo() && frames.get(i).isKeyframe() && ++keyframes == 2) {
                    join = i;
                }
            }
            int start = join < 0 ? frames.size() / 2 : join;
            List<List<MediaFrame>> outputs = List.of(frames, frames.subList(start, frames.size()),
                    frames.subList(start + 1, frames.size()));
            for (List<MediaFrame> part : outputs) {
                ByteBuf written = write(writer(d.tracks), part);
                try (TsTestSupport.Demuxed again = TsTestSupport.demux(written)) {
                    assertEquals(0, again.demuxer.continuityErrors(), "continuity errors");
                    assertEquals(0, again.demuxer.droppedPes() + again.demuxer.malformedPes() + again.demuxer.psiErrors());
                    long audio = part.stream().filter(f -> !f.isVideo()).count();
                    assertEquals(audio, again.frames(TrackKind.AUDIO).size(), "audio frames");
                    // Video frames before the output's first parameter sets have no track yet.
                    assertEquals(part.stream().filter(MediaFrame::isVideo).count(),
                            again.frames(TrackKind.VIDEO).size() + again.demuxer.droppedFrames(), "video frames");
                } finally {
                    written.release();
                }
            }
        } finally {
            file.release();
        }
    }
}

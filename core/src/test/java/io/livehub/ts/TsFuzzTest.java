package io.livehub.ts;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the path of MPEG-TS bytes from the network: {@link TsDemuxer} over input arriving
 * in pieces, then {@link TsMuxer} on every frame it yields. The demuxer may throw nothing at
 * all; the muxer only {@link MalformedMediaException}; every buffer must be freed.
 *
 * <p>Input: byte 0 is the size of the pieces the stream arrives in, in units of 8 bytes,
 * minus one; the rest is the stream.
 *
 * <p>Seeds live in {@code TsFuzzTestInputs/demuxesStream/} and run as regression tests in a
 * plain {@code mvn test}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class TsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void demuxesStream(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int piece = ((input[0] & 0xFF) + 1) * 8;
        TsDemuxer demuxer = new TsDemuxer(TsDemuxerConfig.builder().maxPesSize(64 * 1024).build());
        ByteBuf cumulation = Unpooled.buffer();
        List<Track> tracks = new ArrayList<>();
        TsDemuxerListener muxAndRelease = new TsDemuxerListener() {
            @Override
            public void onTrack(Track t) {
                tracks.removeIf(old -> old.id() == t.id());
                tracks.add(t);
            }

            @Override
            public void onFrame(MediaFrame f) {
                try {
                    ByteBuf ts = new TsMuxer(TsMuxerConfig.defaults(), List.copyOf(tracks))
                            .write(f, UnpooledByteBufAllocator.DEFAULT);
                    ts.release();
                } catch (MalformedMediaException expected) {
                    // A frame the muxer cannot write (say, an ADTS layout it refuses) is rejected.
                } finally {
                    if (!f.release()) {
                        throw new AssertionError("frame still referenced: " + f);
                    }
                }
            }
        };
        try {
            for (int i = 1; i < input.length; i += piece) {
                cumulation.writeBytes(input, i, Math.min(piece, input.length - i));
                demuxer.decode(cumulation, muxAndRelease);
                cumulation.discardReadBytes();
            }
            demuxer.flush(muxAndRelease);
        } finally {
            demuxer.close();
            if (!cumulation.release()) {
                throw new AssertionError("a frame still references the input: refCnt=" + cumulation.refCnt());
            }
        }
    }
}

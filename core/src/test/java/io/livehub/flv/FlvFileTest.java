package io.livehub.flv;

import io.livehub.testing.CollectingSink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads whole FLV files made by real encoders and checks frame counts against ffprobe.
 *
 * <p>The files (160x120, 25 fps, 1 s) were made with ffmpeg 5.1.9 (Debian 12):
 * <pre>
 * ffmpeg -f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i sine=sample_rate=44100 -t 1 \
 *     -c:v libx264 -g 25 -bf 2 -c:a aac -b:a 32k -f flv h264_aac.flv
 * ffmpeg -f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i sine=sample_rate=44100 -t 1 \
 *     -c:v libx264 -g 25 -bf 0 -c:a libmp3lame -b:a 32k -f flv h264_mp3.flv
 * </pre>
 * ffmpeg 5.1 cannot write Enhanced RTMP, so the enhanced files were encoded by ffmpeg into MP4
 * and muxed into FLV by {@code make_enhanced_flv.py} (next to the files), a separate
 * implementation written from the Enhanced RTMP v2 text:
 * <pre>
 * ffmpeg -f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i sine=sample_rate=48000 -t 1 \
 *     -pix_fmt yuv420p -c:v libx265 -c:a libopus -b:a 24k hevc_opus.mp4
 * ffmpeg -f lavfi -i testsrc=size=160x120:rate=25 -t 1 -pix_fmt yuv420p -c:v libaom-av1 \
 *     -cpu-used 8 -crf 50 av1.mp4
 * make_enhanced_flv.py hevc_opus.mp4 hevc_opus.flv; make_enhanced_flv.py av1.mp4 av1.flv
 * </pre>
 * Expected counts are {@code ffprobe -count_frames -count_packets -show_entries
 * stream=codec_name,nb_read_frames,nb_read_packets} of the FLV files (legacy) or the MP4
 * sources (enhanced): h264 25/25 and aac 45/45; h264 25/25 and mp3 40/40; hevc 25/25 and opus
 * 51/51; av1 25/25.
 */
class FlvFileTest {

    private static final io.livehub.media.EgressForms FORMS = new io.livehub.media.EgressForms();

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf resource(String name) throws IOException {
        try (InputStream in = FlvFileTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return Unpooled.wrappedBuffer(in.readAllBytes());
        }
    }

    /** What reading one file gave. */
    private static final class Result {
        final List<Track> tracks = new ArrayList<>();
        final List<MediaFrame> frames = new ArrayList<>();
        final List<ByteBuf> frameBodies = new ArrayList<>();
        int scriptTags;
        FlvMediaDecoder decoder = new FlvMediaDecoder();

        void release() {
            frames.forEach(MediaFrame::release);
            frameBodies.forEach(ByteBuf::release);
        }

        long count(TrackKind kind) {
            return frames.stream().filter(f -> f.track().kind() == kind).count();
        }
    }

    /** Reads every tag of {@code file}, keeping each coded frame's original tag body. */
    private static Result read(ByteBuf file) {
        Result r = new Result();
        FlvTagDecoder tags = new FlvTagDecoder();
        List<Object> out = new ArrayList<>();
        FlvTag tag;
        while ((tag = tags.decode(file)) != null) {
            try {
                if (tag.type() == FlvTagType.SCRIPT_DATA) {
                    r.scriptTags++;
                }
                r.decoder.decode(tag, new CollectingSink(out));
                for (Object o : out) {
                    if (o instanceof Track) {
                        r.tracks.add((Track) o);
                    } else {
                        r.frames.add((MediaFrame) o);
                        r.frameBodies.add(tag.content().retainedDuplicate());
                    }
                }
                out.clear();
            } finally {
                tag.release();
            }
        }
        assertFalse(file.isReadable(), "the whole file was read");
        return r;
    }

    @ParameterizedTest
    @CsvSource({
        "h264_aac.flv,  H264, AAC,  25, 45, 1",
        "h264_mp3.flv,  H264, MP3,  25, 40, 1",
        "hevc_opus.flv, H265, OPUS, 25, 51, 0",
        "av1.flv,       AV1,  ,     25, 0,  0",
    })
    void readsFileAndMatchesFfprobeCounts(String name, CodecId video, CodecId audio, int videoFrames, int audioFrames,
            int scriptTags) throws IOException {
        ByteBuf file = resource(name);
        Result r = read(file);
        try {
            assertEquals(videoFrames, r.count(TrackKind.VIDEO), "video frames");
            assertEquals(audioFrames, r.count(TrackKind.AUDIO), "audio frames");
            assertEquals(scriptTags, r.scriptTags, "script data tags");
            assertEquals(0, r.decoder.droppedFrames());
            assertEquals(video, r.decoder.videoTrack().codec());
            assertTrue(r.decoder.videoTrack().hasConfig());
            if (audio != null) {
                assertEquals(audio, r.decoder.audioTrack().codec());
                assertEquals(audio != CodecId.MP3, r.decoder.audioTrack().hasConfig());
            }
            assertEquals(audio == null ? 1 : 2, r.tracks.size(), "one track per elementary stream");
            MediaFrame first = r.frames.stream().filter(MediaFrame::isVideo).findFirst().orElseThrow();
            assertTrue(first.isKeyframe(), "video starts with a key frame");
            long[] lastDts = {Long.MIN_VALUE, Long.MIN_VALUE};
            for (MediaFrame f : r.frames) {
                int k = f.isVideo() ? 0 : 1;
                assertTrue(f.dts() >= lastDts[k], "dts does not go back: " + f);
                lastDts[k] = f.dts();
                assertTrue(f.pts() >= f.dts() || f.track().codec() == CodecId.H264, "pts " + f);
            }
        } finally {
            r.release();
            Bytes.assertReleased(file);
        }
    }

    @ParameterizedTest
    @CsvSource({"h264_aac.flv", "h264_mp3.flv", "hevc_opus.flv", "av1.flv"})
    void reencodesEveryFrameToTheSameTagBodyAndReadsItBack(String name) throws IOException {
        ByteBuf file = resource(name);
        Result original = read(file);
        ByteBuf stream = ALLOC.buffer();
        Result again = null;
        try {
            // The same bytes an HTTP-FLV player would get: header, sequence headers, frames.
            new FlvHeader(original.decoder.audioTrack() != null, true).write(stream);
            for (Track t : original.tracks) {
                ByteBuf body = FlvMediaEncoder.encodeSequenceHeader(t, ALLOC);
                if (body != null) {
                    ByteBuf tag = FlvTagEncoder.encode(ALLOC, FlvMediaEncoder.tagType(t), 0, body);
                    stream.writeBytes(tag);
                    tag.release();
                    body.release();
                }
            }
            for (int i = 0; i < original.frames.size(); i++) {
                MediaFrame f = original.frames.get(i);
                ByteBuf body = FlvMediaEncoder.encodeBody(f, ALLOC);
                assertEquals(ByteBufUtil.hexDump(original.frameBodies.get(i)), ByteBufUtil.hexDump(body),
                        name + ": frame " + i + " body differs from the encoder's");
                body.release();
                stream.writeBytes(f.encoded(FlvMediaEncoder.tagForm(FORMS), ALLOC).duplicate());
            }
            again = read(stream);
            assertEquals(original.frames.size(), again.frames.size());
            for (int i = 0; i < original.frames.size(); i++) {
                MediaFrame a = original.frames.get(i);
                MediaFrame b = again.frames.get(i);
                assertEquals(a.track().codec(), b.track().codec());
                assertTrue(a.track().sameConfig(b.track()));
                assertEquals(a.dts(), b.dts());
                assertEquals(a.pts(), b.pts());
                assertEquals(a.isKeyframe(), b.isKeyframe());
                assertTrue(ByteBufUtil.equals(a.content(), b.content()), "payload " + i);
            }
        } finally {
            original.release();
            if (again != null) {
                again.release();
            }
            Bytes.assertReleased(stream);
            Bytes.assertReleased(file);
        }
    }
}

package io.livehub.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks that tracks made from real FLV files carry their size, sample rate and channels. */
class FlvTrackInfoTest {

    private static List<Track> tracksOf(String resource) throws Exception {
        byte[] bytes;
        try (InputStream in = FlvTrackInfoTest.class.getResourceAsStream(resource)) {
            bytes = in.readAllBytes();
        }
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        List<Track> tracks = new ArrayList<>();
        try {
            FlvTagDecoder tags = new FlvTagDecoder(true, 8 << 20);
            FlvMediaDecoder media = new FlvMediaDecoder();
            FlvTag tag;
            List<Object> out = new ArrayList<>();
            while ((tag = tags.decode(buf)) != null) {
                try {
                    media.decode(tag, out);
                } finally {
                    tag.release();
                }
                for (Object o : out) {
                    if (o instanceof Track) {
                        tracks.add((Track) o);
                    } else {
                        io.netty.util.ReferenceCountUtil.release(o);
                    }
                }
                out.clear();
            }
        } finally {
            buf.release();
        }
        return tracks;
    }

    @Test
    void h264AndAacTracksCarryTheirParameters() throws Exception {
        List<Track> tracks = tracksOf("h264_aac.flv");
        Track video = tracks.stream().filter(t -> t.kind() == io.livehub.media.TrackKind.VIDEO).findFirst().get();
        Track audio = tracks.stream().filter(t -> t.kind() == io.livehub.media.TrackKind.AUDIO).findFirst().get();
        assertEquals(160, video.width());
        assertEquals(120, video.height());
        assertEquals(44100, audio.sampleRate());
        assertEquals(1, audio.channels());
    }

    @Test
    void enhancedTracksCarryTheirParameters() throws Exception {
        List<Track> hevcOpus = tracksOf("hevc_opus.flv");
        Track hevc = hevcOpus.stream().filter(t -> t.kind() == io.livehub.media.TrackKind.VIDEO).findFirst().get();
        Track opus = hevcOpus.stream().filter(t -> t.kind() == io.livehub.media.TrackKind.AUDIO).findFirst().get();
        assertEquals(160, hevc.width());
        assertEquals(120, hevc.height());
        assertEquals(48000, opus.sampleRate());
        assertTrue(opus.channels() >= 1);
        Track av1 = tracksOf("av1.flv").get(0);
        assertEquals(160, av1.width());
        assertEquals(120, av1.height());
    }

    private static void assertTrue(boolean b) {
        org.junit.jupiter.api.Assertions.assertTrue(b);
    }
}

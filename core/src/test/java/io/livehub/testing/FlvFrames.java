package io.livehub.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.livehub.flv.FlvMediaDecoder;
import io.livehub.flv.FlvTag;
import io.livehub.flv.FlvTagDecoder;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the real frames and tracks of the FLV test files of {@code io.livehub.flv}
 * (h264_aac.flv, h264_mp3.flv, hevc_opus.flv, av1.flv), for tests of the containers and
 * muxers that need real media.
 */
public final class FlvFrames implements AutoCloseable {

    public final List<Track> tracks = new ArrayList<>();
    public final List<MediaFrame> frames = new ArrayList<>();

    private FlvFrames() {
    }

    /** Reads {@code /io/livehub/flv/<name>}; the caller closes the result to release the frames. */
    public static FlvFrames read(String name) throws IOException {
        byte[] bytes;
        try (InputStream in = FlvFrames.class.getResourceAsStream("/io/livehub/flv/" + name)) {
            assertNotNull(in, name);
            bytes = in.readAllBytes();
        }
        FlvFrames r = new FlvFrames();
        ByteBuf file = Unpooled.wrappedBuffer(bytes);
        try {
            FlvTagDecoder tags = new FlvTagDecoder();
            FlvMediaDecoder media = new FlvMediaDecoder();
            List<Object> out = new ArrayList<>();
            FlvTag tag;
            while ((tag = tags.decode(file)) != null) {
                try {
                    media.decode(tag, new CollectingSink(out));
                } finally {
                    tag.release();
                }
                for (Object o : out) {
                    if (o instanceof Track t) {
                        r.tracks.add(t);
                    } else if (o instanceof MediaFrame f) {
                        r.frames.add(f);
                    } else {
                        ReferenceCountUtil.release(o);
                    }
                }
                out.clear();
            }
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        } finally {
            file.release();
        }
        return r;
    }

    /** Returns the last track of {@code kind}, or null. */
    public Track track(TrackKind kind) {
        Track found = null;
        for (Track t : tracks) {
            if (t.kind() == kind) {
                found = t;
            }
        }
        return found;
    }

    public List<MediaFrame> frames(TrackKind kind) {
        return frames.stream().filter(f -> f.track().kind() == kind).toList();
    }

    @Override
    public void close() {
        frames.forEach(MediaFrame::release);
        frames.clear();
    }
}

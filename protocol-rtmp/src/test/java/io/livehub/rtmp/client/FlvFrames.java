package io.livehub.rtmp.client;

import io.livehub.testing.CollectingSink;
import io.livehub.flv.FlvMediaDecoder;
import io.livehub.flv.FlvTag;
import io.livehub.flv.FlvTagDecoder;
import io.livehub.flv.FlvTagType;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.rtmp.amf.Amf0Decoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an FLV file into the hub's media model with core's FLV readers: the frames to publish,
 * the tracks, and the {@code onMetaData} values.
 *
 * <p>Ownership: the frames belong to this object until handed out with {@link #take()};
 * {@link #release()} releases those not taken.
 */
final class FlvFrames {

    final List<MediaFrame> frames = new ArrayList<>();
    final List<Track> tracks = new ArrayList<>();
    Map<String, Object> metadata;

    static FlvFrames read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    static FlvFrames resource(String name) throws IOException {
        try (InputStream in = FlvFrames.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return read(in.readAllBytes());
        }
    }

    @SuppressWarnings("unchecked")
    static FlvFrames read(byte[] bytes) {
        FlvFrames r = new FlvFrames();
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            FlvTagDecoder tags = new FlvTagDecoder();
            FlvMediaDecoder media = new FlvMediaDecoder();
            List<Object> out = new ArrayList<>();
            FlvTag tag;
            while ((tag = tags.decode(in)) != null) {
                try {
                    if (tag.type() == FlvTagType.SCRIPT_DATA) {
                        List<Object> values = new Amf0Decoder().readAll(tag.content().duplicate());
                        if (values.size() >= 2 && "onMetaData".equals(values.get(0)) && values.get(1) instanceof Map) {
                            r.metadata = (Map<String, Object>) values.get(1);
                        }
                        continue;
                    }
                    media.decode(tag, new CollectingSink(out));
                    for (Object o : out) {
                        if (o instanceof MediaFrame f) {
                            r.frames.add(f);
                        } else if (o instanceof Track t) {
                            r.tracks.add(t);
                        }
                    }
                    out.clear();
                } finally {
                    tag.release();
                }
            }
        } finally {
            in.release();
        }
        return r;
    }

    /** Hands out every frame; the caller owns them. */
    List<MediaFrame> take() {
        List<MediaFrame> all = new ArrayList<>(frames);
        frames.clear();
        return all;
    }

    void release() {
        frames.forEach(MediaFrame::release);
        frames.clear();
    }
}

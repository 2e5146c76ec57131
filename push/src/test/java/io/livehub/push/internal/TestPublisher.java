package io.livehub.push.internal;

import io.livehub.hub.Publication;
import io.livehub.hub.StreamHub;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;

/** Publishes synthetic H.264 + AAC frames (millisecond timestamps) to a hub from the test. */
final class TestPublisher {

    static final Track VIDEO = Track.builder(CodecId.H264).config(new byte[] {1, 0x42, 0, 0x1e}).build();
    static final Track AUDIO = Track.builder(CodecId.AAC).config(new byte[] {0x12, 0x10}).audio(44100, 2).build();

    private final Publication publication;

    TestPublisher(StreamHub hub, StreamKey key, EventExecutor executor) {
        this.publication = hub.publish(key, executor, "test-publisher");
        publication.metadata(Map.of("width", 1280.0, "height", 720.0));
    }

    void video(long dts, boolean key) {
        publication.publish(MediaFrame.of(VIDEO, dts, dts, key, Unpooled.wrappedBuffer(new byte[100])));
    }

    void audio(long dts) {
        publication.publish(MediaFrame.of(AUDIO, dts, dts, true, Unpooled.wrappedBuffer(new byte[10])));
    }

    /** Publishes {@code seconds} of 25 fps video with a keyframe every second and audio every 20 ms, from {@code startMs}. */
    void gops(long startMs, int seconds) {
        for (int ms = 0; ms < seconds * 1000; ms += 20) {
            if (ms % 40 == 0) {
                video(startMs + ms, ms % 1000 == 0);
            }
            audio(startMs + ms);
        }
    }

    void close() {
        publication.close();
    }
}

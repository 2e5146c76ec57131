package io.livehub.push.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class TimestampRebaserTest {

    private static final Track VIDEO_90K = Track.builder(CodecId.H264).timebase(Timebase.MPEG_90K).build();
    private static final Track AUDIO_48K = Track.builder(CodecId.OPUS).timebase(new Timebase(1, 48_000)).build();

    private static long[] rebase(TimestampRebaser r, Track t, long dts, long pts) {
        MediaFrame f = r.rebase(MediaFrame.of(t, dts, pts, true, Unpooled.buffer(1)));
        try {
            return new long[] {f.dts(), f.pts()};
        } finally {
            f.release();
        }
    }

    @Test
    void firstFrameIsZeroAndDistancesAndCompositionOffsetsAreKept() {
        TimestampRebaser r = new TimestampRebaser();
        // 10 s into the publisher's clock, B-frame offset of 3600 ticks (40 ms).
        long[] first = rebase(r, VIDEO_90K, 900_000, 903_600);
        assertEquals(0, first[0]);
        assertEquals(3600, first[1]);
        long[] next = rebase(r, VIDEO_90K, 903_600, 903_600);
        assertEquals(3600, next[0]);
        // Audio in its own timebase, 20 ms after the first video frame: 960 ticks of 48 kHz.
        long[] audio = rebase(r, AUDIO_48K, 480_960, 480_960);
        assertEquals(960, audio[0]);
    }

    @Test
    void framesBeforeTheBaseOrGoingBackAreHeld() {
        TimestampRebaser r = new TimestampRebaser();
        rebase(r, VIDEO_90K, 900_000, 900_000);
        // Cached audio from before the keyframe would be negative: it is sent at 0.
        assertEquals(0, rebase(r, AUDIO_48K, 479_040, 479_040)[0]);
        assertEquals(960, rebase(r, AUDIO_48K, 480_960, 480_960)[0]);
        // A jump back (a publisher's clock) never takes the track back.
        assertEquals(960, rebase(r, AUDIO_48K, 470_000, 470_000)[0]);
    }
}

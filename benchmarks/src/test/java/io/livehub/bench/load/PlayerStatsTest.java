package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PlayerStatsTest {

    /** Returns an FLV AVC video body (legacy) that carries a stamp. */
    private static byte[] video(boolean keyframe, long sequence, long micros) {
        byte[] sei = SeiTimestamp.encode(sequence, micros);
        byte[] body = new byte[5 + sei.length];
        body[0] = (byte) (keyframe ? 0x17 : 0x27);
        body[1] = 1;
        System.arraycopy(sei, 0, body, 5, sei.length);
        return body;
    }

    @Test
    void countsFramesGapsRegressionsAndTheStart() {
        LoadStats load = new LoadStats();
        load.measuring(true);
        PlayerStats p = new PlayerStats(load);
        long now = PlayerStats.nowMicros();
        byte[] sequenceHeader = {0x17, 0, 0, 0, 0, 1, 0x64};
        p.onVideo(0, sequenceHeader, sequenceHeader.length);
        byte[] first = video(false, 10, now);
        p.onVideo(0, first, first.length);
        byte[] second = video(false, 11, now);
        p.onVideo(40, second, second.length);
        byte[] afterGap = video(true, 15, now);
        p.onVideo(30, afterGap, afterGap.length); // three frames missing, and the timestamp went back
        byte[] unstamped = {0x27, 1, 0, 0, 0, 0, 0, 0, 2, 0x41, 0x01};
        p.onVideo(200, unstamped, unstamped.length);
        byte[] aacConfig = {(byte) 0xAF, 0, 0x12, 0x10};
        p.onAudio(0, aacConfig, aacConfig.length);
        byte[] aac = {(byte) 0xAF, 1, 0x21};
        p.onAudio(23, aac, aac.length);
        p.onAudio(22, aac, aac.length);

        LoadStats.Snapshot s = load.snapshot();
        assertEquals(8, s.messages());
        assertEquals(4, s.videoFrames());
        assertEquals(2, s.audioFrames());
        assertEquals(1, s.nonKeyframeStarts());
        assertEquals(3, s.droppedFrames());
        assertEquals(2, s.timestampRegressions());
        assertEquals(1, s.unstampedFrames());
        assertEquals(4, p.windowVideoFrames());
        assertEquals(3, load.windowLatency().count());
    }
}

package io.livehub.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.testing.FlvFrames;
import org.junit.jupiter.api.Test;

/** Checks that tracks made from real FLV files carry their size, sample rate and channels. */
class FlvTrackInfoTest {

    @Test
    void h264AndAacTracksCarryTheirParameters() throws Exception {
        try (FlvFrames f = FlvFrames.read("h264_aac.flv")) {
            assertEquals(160, f.track(TrackKind.VIDEO).width());
            assertEquals(120, f.track(TrackKind.VIDEO).height());
            assertEquals(44100, f.track(TrackKind.AUDIO).sampleRate());
            assertEquals(1, f.track(TrackKind.AUDIO).channels());
        }
    }

    @Test
    void enhancedTracksCarryTheirParameters() throws Exception {
        try (FlvFrames f = FlvFrames.read("hevc_opus.flv")) {
            Track hevc = f.track(TrackKind.VIDEO);
            assertEquals(160, hevc.width());
            assertEquals(120, hevc.height());
            assertEquals(48000, f.track(TrackKind.AUDIO).sampleRate());
            assertTrue(f.track(TrackKind.AUDIO).channels() >= 1);
        }
        try (FlvFrames f = FlvFrames.read("av1.flv")) {
            assertEquals(160, f.track(TrackKind.VIDEO).width());
            assertEquals(120, f.track(TrackKind.VIDEO).height());
        }
    }
}

package io.livehub.push.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.Track;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackSelectorTest {

    @Test
    void emptySelectsTheFirstVideoAndAudioNamesSelectByKindCodecOrId() {
        Track h264 = Track.builder(CodecId.H264).id(0).build();
        Track h265 = Track.builder(CodecId.H265).id(3).build();
        Track aac = Track.builder(CodecId.AAC).id(1).build();
        Track data = Track.builder(CodecId.SCRIPT_DATA).id(2).build();
        TrackSelector firsts = new TrackSelector(List.of());
        assertTrue(firsts.accepts(h264));
        assertFalse(firsts.accepts(h265), "only the first video track");
        assertTrue(firsts.accepts(aac));
        assertFalse(firsts.accepts(data));
        TrackSelector named = new TrackSelector(List.of("H265", "audio"));
        assertFalse(named.accepts(h264));
        assertTrue(named.accepts(h265));
        assertTrue(named.accepts(aac));
        assertTrue(new TrackSelector(List.of("3")).accepts(h265), "by track id");
    }
}

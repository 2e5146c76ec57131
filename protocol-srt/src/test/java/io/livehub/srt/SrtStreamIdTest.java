package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.media.StreamKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SrtStreamIdTest {

    @Test
    void accessControlSyntax() {
        SrtStreamId id = SrtStreamId.parse("#!::r=live/livestream,m=publish", "live");
        assertEquals(StreamKey.of("live", "livestream"), id.key());
        assertEquals(SrtStreamId.Mode.PUBLISH, id.mode());
        assertEquals(Map.of(), id.params());

        SrtStreamId full = SrtStreamId.parse("#!::h=example.com,r=live/sub/cam1?token=9,m=request,u=bob,s=abc,t=stream,x=1",
                "live");
        assertEquals(StreamKey.of("example.com", "live/sub", "cam1"), full.key());
        assertEquals(SrtStreamId.Mode.REQUEST, full.mode());
        assertEquals("abc", full.params().get("secret"));
        assertEquals("bob", full.params().get("user"));
        assertEquals("stream", full.params().get("type"));
        assertEquals("1", full.params().get("x"));
        assertEquals("9", full.params().get("token"));
    }

    @Test
    void modeDefaultsToRequest() {
        assertEquals(SrtStreamId.Mode.REQUEST, SrtStreamId.parse("#!::r=live/a", "live").mode());
        assertEquals(SrtStreamId.Mode.REQUEST, SrtStreamId.parse("#!::m=play,r=live/a", "live").mode());
    }

    @Test
    void srsShortFormAndBareName() {
        SrtStreamId s = SrtStreamId.parse("live/livestream?m=publish&secret=x", "app");
        assertEquals(StreamKey.of("live", "livestream"), s.key());
        assertEquals(SrtStreamId.Mode.PUBLISH, s.mode());
        assertEquals("x", s.params().get("secret"));
        SrtStreamId bare = SrtStreamId.parse("livestream", "live");
        assertEquals(StreamKey.of("live", "livestream"), bare.key());
        assertEquals(SrtStreamId.Mode.REQUEST, bare.mode());
        assertEquals(StreamKey.of("live", "x"), SrtStreamId.parse("/live/x/", "app").key());
    }

    @Test
    void rejectsBadIds() {
        assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("", "live"));
        assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("#!::m=publish", "live"));
        assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("#!::r=live/a,m=bidirectional", "live"));
        assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("#!::r=live/../etc", "live"));
        assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("live/a b", "live"));
        assertThrows(IllegalArgumentException.class, () -> SrtStreamId.parse("#!::r=/", "live"));
    }
}

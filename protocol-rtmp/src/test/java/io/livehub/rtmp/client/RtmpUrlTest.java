package io.livehub.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RtmpUrlTest {

    @Test
    void splitsAppAndStreamAtTheLastSegmentWithDefaultPort() {
        RtmpUrl u = RtmpUrl.parse("rtmp://example.com/live/cam1");
        assertFalse(u.isSecure());
        assertEquals("example.com", u.host());
        assertEquals(1935, u.port());
        assertEquals("live", u.app());
        assertEquals("cam1", u.stream());
        assertEquals("rtmp://example.com/live", u.tcUrl());
    }

    @Test
    void keepsAnApplicationInstanceInTheApp() {
        RtmpUrl u = RtmpUrl.parse("rtmp://10.0.0.1:1936/live/inst/cam1");
        assertEquals(1936, u.port());
        assertEquals("live/inst", u.app());
        assertEquals("cam1", u.stream());
        assertEquals("rtmp://10.0.0.1:1936/live/inst", u.tcUrl());
    }

    @Test
    void sendsTheQueryWithTheStreamNameAsFfmpegDoes() {
        RtmpUrl u = RtmpUrl.parse("rtmp://h/live/cam1?secret=s%20x&a=1");
        assertEquals("cam1?secret=s%20x&a=1", u.stream());
        assertEquals("cam1", u.streamName());
        assertEquals("rtmp://h/live", u.tcUrl());
        assertFalse(u.toString().contains("secret"), "the query, often a secret, stays out of logs");
    }

    @Test
    void rtmpsDefaultsTo443() {
        RtmpUrl u = RtmpUrl.parse("RTMPS://live.example.com/app/key");
        assertTrue(u.isSecure());
        assertEquals(443, u.port());
        assertEquals("rtmps://live.example.com/app", u.tcUrl());
    }

    @Test
    void handlesIpv6AndUserInfo() {
        RtmpUrl u = RtmpUrl.parse("rtmp://user:pw@[::1]:1940/live/x");
        assertEquals("::1", u.host());
        assertEquals(1940, u.port());
        assertEquals("rtmp://[::1]:1940/live", u.tcUrl());
    }

    @Test
    void buildsFromParts() {
        RtmpUrl u = RtmpUrl.of(true, "::1", 8443, "/a/b/c/", "s?k=v");
        assertEquals("a/b/c", u.app());
        assertEquals("s?k=v", u.stream());
        assertEquals("rtmps://[::1]:8443/a/b/c", u.tcUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h/live/x", "rtmp://h/live", "rtmp://h/", "rtmp:///live/x", "rtmp://h:99999/live/x",
        "rtmp://h:port/live/x", "live/x"})
    void refusesUrlsWithoutHostAppOrStream(String url) {
        assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse(url));
    }
}

package io.livehub.hls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Golden multivariant playlists (RFC 8216 §4.3.4.2). */
class MultivariantPlaylistTest {

    @Test
    void videoAndAudio() {
        assertEquals("""
                #EXTM3U
                #EXT-X-STREAM-INF:BANDWIDTH=812000,AVERAGE-BANDWIDTH=640000,CODECS="avc1.42c00d,mp4a.40.2",\
                RESOLUTION=320x240
                ../x.m3u8
                """, MultivariantPlaylist.render(812_000, 640_000, "avc1.42c00d,mp4a.40.2", 320, 240, "../x.m3u8"));
    }

    @Test
    void audioOnlyWithUnknownBandwidth() {
        assertEquals("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"mp4a.40.2\"\n../r.m3u8\n",
                MultivariantPlaylist.render(0, 0, "mp4a.40.2", 0, 0, "../r.m3u8"));
    }
}

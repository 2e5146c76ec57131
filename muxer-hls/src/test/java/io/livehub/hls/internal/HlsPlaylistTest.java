package io.livehub.hls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden playlist texts (RFC 8216 §4.3.3, §6.2.2). */
class HlsPlaylistTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.006Z");

    private static HlsSegment seg(long seq, String ext, double d, boolean disc, String map) {
        return new HlsSegment(seq, "x-" + seq + ext, d, T0.plusMillis(Math.round(seq * 2000)), disc, map, null);
    }

    @Test
    void liveTsPlaylist() {
        String text = HlsPlaylist.render(3, 2, 5, 0, List.of(
                seg(5, ".ts", 2.0, false, null),
                seg(6, ".ts", 1.96, false, null),
                seg(7, ".ts", 2.04, false, null)), false);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:5
                #EXT-X-DISCONTINUITY-SEQUENCE:0
                #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:15.006Z
                #EXTINF:2.000,
                x-5.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:17.006Z
                #EXTINF:1.960,
                x-6.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:19.006Z
                #EXTINF:2.040,
                x-7.ts
                """, text);
    }

    @Test
    void fmp4PlaylistWithDiscontinuityNewInitAndEnd() {
        // The first listed segment's own discontinuity is counted in the sequence, not written.
        String text = HlsPlaylist.render(7, 3, 10, 2, List.of(
                seg(10, ".m4s", 2.5, true, "x-init-1.mp4"),
                seg(11, ".m4s", 2.0, true, "x-init-2.mp4"),
                seg(12, ".m4s", 1.0, false, "x-init-2.mp4")), true);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-TARGETDURATION:3
                #EXT-X-MEDIA-SEQUENCE:10
                #EXT-X-DISCONTINUITY-SEQUENCE:2
                #EXT-X-MAP:URI="x-init-1.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:25.006Z
                #EXTINF:2.500,
                x-10.m4s
                #EXT-X-DISCONTINUITY
                #EXT-X-MAP:URI="x-init-2.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:27.006Z
                #EXTINF:2.000,
                x-11.m4s
                #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:29.006Z
                #EXTINF:1.000,
                x-12.m4s
                #EXT-X-ENDLIST
                """, text);
    }
}

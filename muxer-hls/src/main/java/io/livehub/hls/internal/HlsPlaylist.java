package io.livehub.hls.internal;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Snapshots one stream's live media playlist (RFC 8216 §4.3.3): the rendered text and every
 * segment and init segment still in memory, so that an HTTP thread can answer any request
 * about the stream from one consistent view while the muxer goes on.
 *
 * <p>Thread-safety: immutable; safe to publish through a volatile field.
 */
public final class HlsPlaylist {

    private static final DateTimeFormatter PROGRAM_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final List<HlsSegment> window;
    private final boolean ended;
    private final Map<Long, HlsSegment> kept;
    private final Map<String, SharedBuffer> inits;
    private final byte[] text;
    private final byte[] multivariant;

    HlsPlaylist(int version, int targetDuration, long mediaSequence, long discontinuitySequence,
                List<HlsSegment> window, boolean ended, Map<Long, HlsSegment> kept, Map<String, SharedBuffer> inits,
                String multivariant) {
        this.window = List.copyOf(window);
        this.ended = ended;
        this.kept = Map.copyOf(kept);
        this.inits = Map.copyOf(inits);
        this.text = render(version, targetDuration, mediaSequence, discontinuitySequence, this.window, ended)
                .getBytes(StandardCharsets.UTF_8);
        this.multivariant = multivariant.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the UTF-8 text of the stream's multivariant playlist; do not modify the array. */
    public byte[] multivariant() {
        return multivariant;
    }

    /** Returns the playlist's UTF-8 text; do not modify the array. */
    public byte[] text() {
        return text;
    }

    /** Returns the segments the playlist lists. */
    public List<HlsSegment> window() {
        return window;
    }

    /** Returns whether the playlist ends with {@code EXT-X-ENDLIST}. */
    public boolean ended() {
        return ended;
    }

    /** Returns the segment with {@code sequence} if it is still in memory, else null. */
    public HlsSegment segment(long sequence) {
        return kept.get(sequence);
    }

    /** Returns the init segment named {@code uri} (e.g. {@code x-init.mp4}), or null. */
    public SharedBuffer init(String uri) {
        return inits.get(uri);
    }

    /**
     * Writes a live media playlist: the header tags of RFC 8216 §4.3.3, then per segment
     * {@code EXT-X-DISCONTINUITY}, {@code EXT-X-MAP} (first segment and wherever the init
     * segment changes), {@code EXT-X-PROGRAM-DATE-TIME}, {@code EXTINF} with millisecond
     * precision and the URI, and {@code EXT-X-ENDLIST} when {@code ended}.
     */
    public static String render(int version, int targetDuration, long mediaSequence, long discontinuitySequence,
                                List<HlsSegment> window, boolean ended) {
        StringBuilder b = new StringBuilder(128 + 96 * window.size());
        b.append("#EXTM3U\n");
        b.append("#EXT-X-VERSION:").append(version).append('\n');
        b.append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n');
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence).append('\n');
        b.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        String map = null;
        for (int i = 0; i < window.size(); i++) {
            HlsSegment s = window.get(i);
            if (s.discontinuity() && i > 0) {
                b.append("#EXT-X-DISCONTINUITY\n");
            }
            if (s.mapUri() != null && (i == 0 || !s.mapUri().equals(map) || s.discontinuity())) {
                b.append("#EXT-X-MAP:URI=\"").append(s.mapUri()).append("\"\n");
            }
            map = s.mapUri();
            if (s.programDateTime() != null) {
                b.append("#EXT-X-PROGRAM-DATE-TIME:").append(PROGRAM_DATE_TIME.format(s.programDateTime())).append('\n');
            }
            b.append("#EXTINF:").append(String.format(Locale.ROOT, "%.3f", s.durationSeconds())).append(",\n");
            b.append(s.uri()).append('\n');
        }
        if (ended) {
            b.append("#EXT-X-ENDLIST\n");
        }
        return b.toString();
    }
}

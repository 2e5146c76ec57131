package io.livehub.hls.internal;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Snapshots one stream's live media playlist (RFC 8216 §4.3.3; with Low-Latency HLS
 * draft-pantos-hls-rfc8216bis §4.4.3.7-8, §4.4.4.9, §4.4.5.2-3): the rendered text and every
 * segment, part and init segment still in memory, so that an HTTP thread can answer any request
 * about the stream from one consistent view while the muxer goes on.
 *
 * <p>Thread-safety: immutable (delta updates are rendered once, on first use, by whichever
 * thread asks); safe to publish through a volatile field.
 */
public final class HlsPlaylist {

    private static final DateTimeFormatter PROGRAM_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** §4.4.3.8: a Playlist with EXT-X-SKIP needs version 9, with RECENTLY-REMOVED-DATERANGES 10. */
    private static final int SKIP_VERSION = 9;
    private static final int SKIP_DATERANGES_VERSION = 10;

    /**
     * Describes the low-latency part of a playlist.
     *
     * @param partTargetSeconds   {@code PART-TARGET}
     * @param openSequence        the media sequence number of the segment being written
     * @param openParts           its parts so far
     * @param openDiscontinuity   whether that segment follows a discontinuity
     * @param openMapUri          its init segment, or null for TS
     * @param preloadHintUri      the URI of the next part, or null when the stream ended
     */
    public record LowLatency(double partTargetSeconds, long openSequence, List<HlsPart> openParts,
                             boolean openDiscontinuity, String openMapUri, String preloadHintUri) {
    }

    private final int version;
    private final int targetDuration;
    private final long mediaSequence;
    private final long discontinuitySequence;
    private final List<HlsSegment> window;
    private final boolean ended;
    private final Map<Long, HlsSegment> kept;
    private final Map<String, SharedBuffer> inits;
    private final LowLatency lowLatency;
    private final Map<String, HlsPart> parts;
    private final byte[] text;
    private final byte[] multivariant;
    private final int skippable;
    private volatile byte[] plain;
    private volatile byte[] delta;
    private volatile byte[] deltaV2;

    HlsPlaylist(int version, int targetDuration, long mediaSequence, long discontinuitySequence,
                List<HlsSegment> window, boolean ended, Map<Long, HlsSegment> kept, Map<String, SharedBuffer> inits,
                String multivariant) {
        this(version, targetDuration, mediaSequence, discontinuitySequence, window, ended, kept, inits, multivariant,
                null);
    }

    HlsPlaylist(int version, int targetDuration, long mediaSequence, long discontinuitySequence,
                List<HlsSegment> window, boolean ended, Map<Long, HlsSegment> kept, Map<String, SharedBuffer> inits,
                String multivariant, LowLatency lowLatency) {
        this.version = version;
        this.targetDuration = targetDuration;
        this.mediaSequence = mediaSequence;
        this.discontinuitySequence = discontinuitySequence;
        this.window = List.copyOf(window);
        this.ended = ended;
        this.kept = Map.copyOf(kept);
        this.inits = Map.copyOf(inits);
        this.lowLatency = lowLatency;
        Map<String, HlsPart> byUri = new HashMap<>();
        if (lowLatency != null) {
            for (HlsSegment s : kept.values()) {
                for (HlsPart p : s.parts()) {
                    byUri.put(p.uri(), p);
                }
            }
            for (HlsPart p : lowLatency.openParts()) {
                byUri.put(p.uri(), p);
            }
        }
        this.parts = Map.copyOf(byUri);
        this.skippable = lowLatency == null ? 0 : skippable(this.window, lowLatency, skipUntil(targetDuration));
        this.text = render(version, targetDuration, mediaSequence, discontinuitySequence, this.window, ended,
                lowLatency, 0, false).getBytes(StandardCharsets.UTF_8);
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

    /**
     * Returns the text of the Playlist Delta Update a client asks for with {@code _HLS_skip=YES}
     * or {@code v2} (§6.2.5.1): the segments older than the skip boundary replaced by
     * {@code EXT-X-SKIP}, or the full playlist when none can be skipped or the playlist is not
     * low-latency. Do not modify the array.
     */
    public byte[] deltaText(boolean v2) {
        if (skippable == 0) {
            return text;
        }
        byte[] d = v2 ? deltaV2 : delta;
        if (d == null) {
            d = render(version, targetDuration, mediaSequence, discontinuitySequence, window, ended, lowLatency,
                    skippable, v2).getBytes(StandardCharsets.UTF_8);
            if (v2) {
                deltaV2 = d;
            } else {
                delta = d;
            }
        }
        return d;
    }

    /**
     * Returns the playlist without the low-latency tags (what is written to disk, where parts are
     * not); the same as {@link #text()} when the playlist is not low-latency. Do not modify the array.
     */
    public byte[] plainText() {
        if (lowLatency == null) {
            return text;
        }
        byte[] p = plain;
        if (p == null) {
            p = render(version, targetDuration, mediaSequence, discontinuitySequence, window, ended)
                    .getBytes(StandardCharsets.UTF_8);
            plain = p;
        }
        return p;
    }

    /** Returns the segments the playlist lists. */
    public List<HlsSegment> window() {
        return window;
    }

    /** Returns whether the playlist ends with {@code EXT-X-ENDLIST}. */
    public boolean ended() {
        return ended;
    }

    /** Returns whether the playlist is low-latency. */
    public boolean lowLatency() {
        return lowLatency != null;
    }

    /** Returns {@code EXT-X-TARGETDURATION}. */
    public int targetDuration() {
        return targetDuration;
    }

    /**
     * Returns the media sequence number of the last complete segment; before the first, the one
     * before the muxer's first sequence (-1 when that is 0).
     */
    public long lastSequence() {
        return window.isEmpty() ? mediaSequence - 1 : window.get(window.size() - 1).sequence();
    }

    /**
     * Returns whether the part {@code index} of segment {@code sequence} is the one the muxer
     * writes now or the first of the next segment: a request for it may wait until it is complete.
     */
    public boolean isUpcomingPart(long sequence, int index) {
        if (lowLatency == null || ended) {
            return false;
        }
        long open = lowLatency.openSequence();
        return (sequence == open && index >= lowLatency.openParts().size() && index <= lowLatency.openParts().size() + 1)
                || (sequence == open + 1 && index == 0);
    }

    /** Returns the segment with {@code sequence} if it is still in memory, else null. */
    public HlsSegment segment(long sequence) {
        return kept.get(sequence);
    }

    /** Returns the part named {@code uri} (e.g. {@code x-12.3.m4s}) if it is in memory, else null. */
    public HlsPart part(String uri) {
        return parts.get(uri);
    }

    /** Returns the init segment named {@code uri} (e.g. {@code x-init.mp4}), or null. */
    public SharedBuffer init(String uri) {
        return inits.get(uri);
    }

    /**
     * Returns whether this playlist answers a blocking reload for {@code _HLS_msn=msn} and, when
     * {@code part >= 0}, {@code _HLS_part=part} (§6.2.5.2): it holds segment {@code msn} or a later
     * one, or that segment's part {@code part} or a later part. A part index beyond the parts of a
     * complete segment means the first part of the next. An ended playlist answers everything.
     */
    public boolean satisfies(long msn, int part) {
        if (ended) {
            return true;
        }
        long last = lastSequence();
        if (part < 0 || lowLatency == null) {
            return msn <= last;
        }
        if (msn < last) {
            return true;
        }
        if (msn == last) {
            HlsSegment s = kept.get(msn);
            if (s == null || part < s.parts().size()) {
                return true;
            }
            return lowLatency.openSequence() == msn + 1 && !lowLatency.openParts().isEmpty();
        }
        return msn == lowLatency.openSequence() && part < lowLatency.openParts().size();
    }

    /** Returns {@code CAN-SKIP-UNTIL}: six target durations, the least §4.4.3.8 allows. */
    private static double skipUntil(int targetDuration) {
        return 6.0 * targetDuration;
    }

    /**
     * Returns how many segments at the start of the window a delta update replaces: those that
     * end at least {@code CAN-SKIP-UNTIL} before the end of the playlist (§6.2.5.1).
     */
    private static int skippable(List<HlsSegment> window, LowLatency ll, double skipUntil) {
        double after = 0;
        for (HlsPart p : ll.openParts()) {
            after += p.durationSeconds();
        }
        int n = 0;
        for (int i = window.size() - 1; i >= 0; i--) {
            if (after >= skipUntil) {
                n = i + 1;
                break;
            }
            after += window.get(i).durationSeconds();
        }
        // Keep at least one listed segment so that the delta update still names the live edge.
        return Math.min(n, Math.max(0, window.size() - 1));
    }

    /**
     * Writes a live media playlist: the header tags of RFC 8216 §4.3.3, then per segment
     * {@code EXT-X-DISCONTINUITY}, {@code EXT-X-MAP} (first segment and wherever the init
     * segment changes), {@code EXT-X-PROGRAM-DATE-TIME}, {@code EXTINF} with millisecond
     * precision and the URI, and {@code EXT-X-ENDLIST} when {@code ended}.
     */
    public static String render(int version, int targetDuration, long mediaSequence, long discontinuitySequence,
                                List<HlsSegment> window, boolean ended) {
        return render(version, targetDuration, mediaSequence, discontinuitySequence, window, ended, null, 0, false);
    }

    /**
     * Writes a media playlist as {@link #render(int, int, long, long, List, boolean)} and, when
     * {@code ll} is given, the Low-Latency HLS tags: {@code EXT-X-SERVER-CONTROL} (blocking
     * reload, {@code CAN-SKIP-UNTIL} of six target durations, {@code PART-HOLD-BACK} of three part
     * targets), {@code EXT-X-PART-INF}, {@code EXT-X-PART} for the segments that end within three
     * target durations of the end and for the open segment (§4.4.4.9), and
     * {@code EXT-X-PRELOAD-HINT} for the next part (§4.4.5.3). {@code skip} segments at the start
     * are replaced by {@code EXT-X-SKIP} (§4.4.5.2).
     */
    static String render(int version, int targetDuration, long mediaSequence, long discontinuitySequence,
                         List<HlsSegment> window, boolean ended, LowLatency ll, int skip, boolean v2) {
        StringBuilder b = new StringBuilder(256 + 96 * window.size());
        int v = version;
        if (skip > 0) {
            v = Math.max(v, v2 ? SKIP_DATERANGES_VERSION : SKIP_VERSION);
        }
        b.append("#EXTM3U\n");
        b.append("#EXT-X-VERSION:").append(v).append('\n');
        b.append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n');
        if (ll != null) {
            b.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=")
                    .append(seconds(skipUntil(targetDuration)))
                    .append(",PART-HOLD-BACK=").append(seconds(3 * ll.partTargetSeconds())).append('\n');
            b.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(ll.partTargetSeconds())).append('\n');
        }
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence).append('\n');
        b.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        if (skip > 0) {
            b.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skip);
            if (v2) {
                b.append(",RECENTLY-REMOVED-DATERANGES=\"\"");
            }
            b.append('\n');
        }
        // Parts are listed for segments that end within three target durations of the end.
        int firstWithParts = window.size();
        if (ll != null) {
            double after = 0;
            for (HlsPart p : ll.openParts()) {
                after += p.durationSeconds();
            }
            for (int i = window.size() - 1; i >= 0 && after < 3.0 * targetDuration; i--) {
                firstWithParts = i;
                after += window.get(i).durationSeconds();
            }
        }
        String map = null;
        for (int i = skip; i < window.size(); i++) {
            HlsSegment s = window.get(i);
            if (s.discontinuity() && i > 0) {
                b.append("#EXT-X-DISCONTINUITY\n");
            }
            if (s.mapUri() != null && (i == skip || !s.mapUri().equals(map) || s.discontinuity())) {
                b.append("#EXT-X-MAP:URI=\"").append(s.mapUri()).append("\"\n");
            }
            map = s.mapUri();
            if (s.programDateTime() != null) {
                b.append("#EXT-X-PROGRAM-DATE-TIME:").append(PROGRAM_DATE_TIME.format(s.programDateTime())).append('\n');
            }
            if (i >= firstWithParts) {
                for (HlsPart p : s.parts()) {
                    part(b, p);
                }
            }
            b.append("#EXTINF:").append(String.format(Locale.ROOT, "%.3f", s.durationSeconds())).append(",\n");
            b.append(s.uri()).append('\n');
        }
        if (ll != null && !ended) {
            if (!ll.openParts().isEmpty()) {
                if (ll.openDiscontinuity() && !window.isEmpty()) {
                    b.append("#EXT-X-DISCONTINUITY\n");
                }
                if (ll.openMapUri() != null && (!ll.openMapUri().equals(map) || ll.openDiscontinuity())) {
                    b.append("#EXT-X-MAP:URI=\"").append(ll.openMapUri()).append("\"\n");
                }
                for (HlsPart p : ll.openParts()) {
                    part(b, p);
                }
            }
            if (ll.preloadHintUri() != null) {
                b.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(ll.preloadHintUri()).append("\"\n");
            }
        }
        if (ended) {
            b.append("#EXT-X-ENDLIST\n");
        }
        return b.toString();
    }

    private static void part(StringBuilder b, HlsPart p) {
        b.append("#EXT-X-PART:DURATION=").append(String.format(Locale.ROOT, "%.5f", p.durationSeconds()))
                .append(",URI=\"").append(p.uri()).append('"');
        if (p.independent()) {
            b.append(",INDEPENDENT=YES");
        }
        b.append('\n');
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}

package io.livehub.hls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the rules of RFC 8216 and draft-pantos-hls-rfc8216bis that can be checked mechanically
 * to the live media playlists of one stream, fetched over time: each playlist on its own
 * ({@link #check}) and every playlist against the ones before it. A violation throws
 * {@link AssertionError} naming the rule and the section.
 *
 * <p>Rules on one playlist: {@code #EXTM3U} first; {@code EXT-X-TARGETDURATION} present and every
 * {@code EXTINF} rounded to the nearest integer at most that (§4.4.3.1); {@code EXT-X-VERSION} at
 * least what the tags need (§8: 3 for decimal EXTINF, 6 for EXT-X-MAP, 9 for EXT-X-SKIP, 10 for
 * RECENTLY-REMOVED-DATERANGES); unique URIs; {@code EXT-X-MAP} before the first fMP4 segment;
 * {@code EXT-X-PROGRAM-DATE-TIME} not going back; with parts: {@code EXT-X-PART-INF} present
 * and every part at most {@code PART-TARGET} (§4.4.4.9), parts only on segments within three
 * target durations of the end, the parts of a segment adding up to its {@code EXTINF},
 * {@code PART-HOLD-BACK} at least twice {@code PART-TARGET} (§4.4.3.8), {@code CAN-SKIP-UNTIL}
 * at least six target durations, at most one {@code EXT-X-PRELOAD-HINT} per type (§4.4.5.3);
 * with {@code EXT-X-SKIP}: what stays listed is at least {@code CAN-SKIP-UNTIL} long.
 *
 * <p>Rules across reloads (§6.2.1, §6.2.2, §6.3): media sequence and discontinuity sequence
 * never decrease; a segment still listed keeps its URI, duration, date and discontinuity
 * number; the target duration never goes down. (An ended playlist may go on: a new publisher
 * continues it after {@code EXT-X-DISCONTINUITY}.)
 */
public final class PlaylistChecker {

    /** One parsed playlist. */
    public static final class Playlist {
        public int version = 1;
        public int targetDuration = -1;
        public long mediaSequence;
        public long discontinuitySequence;
        public int skipped;
        public double partTarget = -1;
        public double partHoldBack = -1;
        public double canSkipUntil = -1;
        public boolean canBlockReload;
        public boolean ended;
        public boolean hasMap;
        public boolean recentlyRemovedDateRanges;
        public final List<Segment> segments = new ArrayList<>();
        /** Parts after the last complete segment. */
        public final List<Part> trailingParts = new ArrayList<>();
        public final List<String> preloadHints = new ArrayList<>();
        public String text;

        /** Returns the media sequence number the next complete segment will have. */
        public long nextSequence() {
            return mediaSequence + skipped + segments.size();
        }

        /** Returns every part URI listed, in order. */
        public List<String> partUris() {
            List<String> all = new ArrayList<>();
            for (Segment s : segments) {
                for (Part p : s.parts) {
                    all.add(p.uri);
                }
            }
            for (Part p : trailingParts) {
                all.add(p.uri);
            }
            return all;
        }
    }

    /** One segment of a playlist. */
    public static final class Segment {
        public long sequence;
        public String uri;
        public double duration;
        public Instant programDateTime;
        public boolean discontinuity;
        public long discontinuityNumber;
        public String map;
        public final List<Part> parts = new ArrayList<>();
    }

    /** One part. */
    public record Part(String uri, double duration, boolean independent) {
    }

    private final Map<Long, Segment> seen = new HashMap<>();
    private Playlist last;
    private int checked;

    /** Returns how many playlists were checked. */
    public int checked() {
        return checked;
    }

    /** Parses {@code text} and checks it alone and against the playlists checked before. */
    public Playlist check(String text) {
        Playlist p = parse(text);
        checkAlone(p);
        checkAgainstEarlier(p);
        checked++;
        last = p;
        for (Segment s : p.segments) {
            seen.put(s.sequence, s);
        }
        return p;
    }

    public static Playlist parse(String text) {
        Playlist p = new Playlist();
        p.text = text;
        String[] lines = text.split("\n");
        require(lines.length > 0 && lines[0].equals("#EXTM3U"), "§4.4.1.1 the first line is #EXTM3U", text);
        double pendingDuration = -1;
        Instant pendingPdt = null;
        boolean pendingDisc = false;
        String map = null;
        List<Part> pendingParts = new ArrayList<>();
        long discontinuities = 0;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) {
                continue;
            }
            if (l.startsWith("#EXT-X-VERSION:")) {
                p.version = Integer.parseInt(l.substring(15));
            } else if (l.startsWith("#EXT-X-TARGETDURATION:")) {
                p.targetDuration = Integer.parseInt(l.substring(22));
            } else if (l.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                p.mediaSequence = Long.parseLong(l.substring(22));
            } else if (l.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                p.discontinuitySequence = Long.parseLong(l.substring(30));
                discontinuities = p.discontinuitySequence;
            } else if (l.startsWith("#EXT-X-SERVER-CONTROL:")) {
                Map<String, String> a = attributes(l.substring(22));
                p.canBlockReload = "YES".equals(a.get("CAN-BLOCK-RELOAD"));
                p.partHoldBack = a.containsKey("PART-HOLD-BACK") ? Double.parseDouble(a.get("PART-HOLD-BACK")) : -1;
                p.canSkipUntil = a.containsKey("CAN-SKIP-UNTIL") ? Double.parseDouble(a.get("CAN-SKIP-UNTIL")) : -1;
            } else if (l.startsWith("#EXT-X-PART-INF:")) {
                p.partTarget = Double.parseDouble(attributes(l.substring(16)).get("PART-TARGET"));
            } else if (l.startsWith("#EXT-X-SKIP:")) {
                Map<String, String> a = attributes(l.substring(12));
                p.skipped = Integer.parseInt(a.get("SKIPPED-SEGMENTS"));
                p.recentlyRemovedDateRanges = a.containsKey("RECENTLY-REMOVED-DATERANGES");
            } else if (l.startsWith("#EXT-X-MAP:")) {
                map = attributes(l.substring(11)).get("URI");
                p.hasMap = true;
            } else if (l.equals("#EXT-X-DISCONTINUITY")) {
                pendingDisc = true;
            } else if (l.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                pendingPdt = Instant.parse(l.substring(25));
            } else if (l.startsWith("#EXT-X-PART:")) {
                Map<String, String> a = attributes(l.substring(12));
                pendingParts.add(new Part(a.get("URI"), Double.parseDouble(a.get("DURATION")),
                        "YES".equals(a.get("INDEPENDENT"))));
            } else if (l.startsWith("#EXT-X-PRELOAD-HINT:")) {
                Map<String, String> a = attributes(l.substring(20));
                p.preloadHints.add(a.get("TYPE") + " " + a.get("URI"));
            } else if (l.startsWith("#EXTINF:")) {
                pendingDuration = Double.parseDouble(l.substring(8, l.indexOf(',')));
            } else if (l.equals("#EXT-X-ENDLIST")) {
                p.ended = true;
            } else if (!l.startsWith("#")) {
                require(pendingDuration >= 0, "§4.4.4.1 every segment URI follows an EXTINF", text);
                Segment s = new Segment();
                s.sequence = p.mediaSequence + p.skipped + p.segments.size();
                s.uri = l;
                s.duration = pendingDuration;
                s.programDateTime = pendingPdt;
                s.discontinuity = pendingDisc;
                if (pendingDisc) {
                    discontinuities++;
                }
                // A delta update's skipped segments may hold discontinuities it does not show.
                s.discontinuityNumber = p.skipped > 0 ? -1 : discontinuities;
                s.map = map;
                s.parts.addAll(pendingParts);
                p.segments.add(s);
                pendingParts.clear();
                pendingDuration = -1;
                pendingPdt = null;
                pendingDisc = false;
            }
        }
        p.trailingParts.addAll(pendingParts);
        return p;
    }

    private static void checkAlone(Playlist p) {
        String t = p.text;
        require(p.targetDuration > 0, "§4.4.3.1 EXT-X-TARGETDURATION is present", t);
        Set<String> uris = new HashSet<>();
        Instant pdt = null;
        boolean decimal = false;
        for (Segment s : p.segments) {
            require(Math.round(s.duration) <= p.targetDuration,
                    "§4.4.3.1 EXTINF " + s.duration + " rounded is at most the target duration", t);
            decimal |= s.duration != Math.floor(s.duration);
            require(uris.add(s.uri), "segment URIs are unique: " + s.uri, t);
            if (s.programDateTime != null) {
                require(pdt == null || !s.programDateTime.isBefore(pdt), "EXT-X-PROGRAM-DATE-TIME does not go back", t);
                pdt = s.programDateTime;
            }
            if (s.uri.endsWith(".m4s")) {
                require(s.map != null, "§4.4.4.5 an fMP4 segment has an EXT-X-MAP before it", t);
            }
        }
        int needed = decimal ? 3 : 1;
        if (p.hasMap) {
            needed = Math.max(needed, 6);
        }
        if (p.skipped > 0) {
            needed = Math.max(needed, p.recentlyRemovedDateRanges ? 10 : 9);
        }
        require(p.version >= needed, "§8 EXT-X-VERSION " + p.version + " is at least " + needed, t);

        List<String> partUris = p.partUris();
        require(p.preloadHints.size() == new HashSet<>(typesOf(p.preloadHints)).size(),
                "§4.4.5.3 at most one EXT-X-PRELOAD-HINT per type", t);
        if (!partUris.isEmpty() || p.partTarget > 0) {
            require(p.partTarget > 0, "§4.4.3.7 EXT-X-PART-INF is present when there are parts", t);
            require(new HashSet<>(partUris).size() == partUris.size(), "part URIs are unique", t);
            for (Segment s : p.segments) {
                for (Part part : s.parts) {
                    require(part.duration <= p.partTarget + 1e-6, "§4.4.4.9 part " + part.uri + " ("
                            + part.duration + " s) is at most PART-TARGET " + p.partTarget, t);
                }
            }
            for (Part part : p.trailingParts) {
                require(part.duration <= p.partTarget + 1e-6, "§4.4.4.9 part " + part.uri + " is at most PART-TARGET", t);
            }
            // Parts only on segments within three target durations of the end.
            double after = 0;
            for (Part part : p.trailingParts) {
                after += part.duration;
            }
            for (int i = p.segments.size() - 1; i >= 0; i--) {
                Segment s = p.segments.get(i);
                if (!s.parts.isEmpty()) {
                    require(after <= 3.0 * p.targetDuration + 1e-3, "§4.4.4.9 parts of " + s.uri
                            + " are listed only within three target durations of the end (" + after + " s)", t);
                    double sum = 0;
                    for (Part part : s.parts) {
                        sum += part.duration;
                    }
                    require(Math.abs(sum - s.duration) <= 0.001 * (s.parts.size() + 1),
                            "the parts of " + s.uri + " add up to its EXTINF (" + sum + " vs " + s.duration + ")", t);
                }
                after += s.duration;
            }
            require(p.canBlockReload, "§6.2.5.2 a low-latency playlist offers blocking reload", t);
            require(p.partHoldBack >= 2 * p.partTarget - 1e-9, "§4.4.3.8 PART-HOLD-BACK " + p.partHoldBack
                    + " is at least twice PART-TARGET " + p.partTarget, t);
            require(!p.ended && !p.preloadHints.isEmpty() || p.ended, "a live low-latency playlist hints the next part", t);
        }
        if (p.canSkipUntil >= 0) {
            require(p.canSkipUntil >= 6.0 * p.targetDuration, "§4.4.3.8 CAN-SKIP-UNTIL " + p.canSkipUntil
                    + " is at least six target durations", t);
        }
        if (p.skipped > 0) {
            require(p.canSkipUntil > 0, "§4.4.5.2 EXT-X-SKIP only when the server offers CAN-SKIP-UNTIL", t);
            double listed = 0;
            for (Segment s : p.segments) {
                listed += s.duration;
            }
            for (Part part : p.trailingParts) {
                listed += part.duration;
            }
            require(listed >= p.canSkipUntil - 1e-3, "§6.2.5.1 only segments older than the skip boundary are skipped ("
                    + listed + " s listed)", t);
        }
        if (p.ended) {
            require(p.preloadHints.isEmpty(), "an ended playlist hints nothing", t);
        }
    }

    private void checkAgainstEarlier(Playlist p) {
        if (last == null) {
            return;
        }
        String t = "before:\n" + last.text + "\nnow:\n" + p.text;
        require(p.mediaSequence >= last.mediaSequence, "§6.2.2 EXT-X-MEDIA-SEQUENCE never decreases", t);
        require(p.discontinuitySequence >= last.discontinuitySequence,
                "§6.2.2 EXT-X-DISCONTINUITY-SEQUENCE never decreases", t);
        require(p.targetDuration >= last.targetDuration, "§6.2.1 EXT-X-TARGETDURATION does not go down", t);
        require(p.nextSequence() >= last.nextSequence(), "§6.2.1 segments are not removed from the end", t);
        for (Segment s : p.segments) {
            Segment before = seen.get(s.sequence);
            if (before == null) {
                continue;
            }
            require(before.uri.equals(s.uri), "§6.2.1 segment " + s.sequence + " keeps its URI", t);
            require(before.duration == s.duration, "§6.2.1 segment " + s.sequence + " keeps its duration", t);
            require(before.discontinuityNumber < 0 || s.discontinuityNumber < 0
                            || before.discontinuityNumber == s.discontinuityNumber,
                    "§6.2.2 segment " + s.sequence + " keeps its discontinuity sequence number", t);
            if (before.programDateTime != null && s.programDateTime != null) {
                require(before.programDateTime.equals(s.programDateTime),
                        "segment " + s.sequence + " keeps its EXT-X-PROGRAM-DATE-TIME", t);
            }
        }
    }

    private static List<String> typesOf(List<String> hints) {
        List<String> types = new ArrayList<>();
        for (String h : hints) {
            types.add(h.substring(0, h.indexOf(' ')));
        }
        return types;
    }

    /** Parses an attribute list (§4.2). */
    static Map<String, String> attributes(String list) {
        Map<String, String> a = new LinkedHashMap<>();
        int i = 0;
        while (i < list.length()) {
            int eq = list.indexOf('=', i);
            String name = list.substring(i, eq);
            String value;
            if (list.charAt(eq + 1) == '"') {
                int close = list.indexOf('"', eq + 2);
                value = list.substring(eq + 2, close);
                i = close + 1;
            } else {
                int comma = list.indexOf(',', eq);
                value = list.substring(eq + 1, comma < 0 ? list.length() : comma);
                i = comma < 0 ? list.length() : comma;
            }
            a.put(name, value);
            if (i < list.length() && list.charAt(i) == ',') {
                i++;
            }
        }
        return a;
    }

    private static void require(boolean ok, String rule, String text) {
        if (!ok) {
            throw new AssertionError("playlist breaks: " + rule + "\n" + text);
        }
    }
}

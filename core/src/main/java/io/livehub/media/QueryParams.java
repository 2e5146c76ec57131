package io.livehub.media;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the query parameters clients put on stream URLs ({@code live/stream?secret=x},
 * an RTMP tcUrl, an HTTP request), with limits so that a hostile query costs little.
 *
 * <p>Thread-safety: stateless.
 */
public final class QueryParams {

    /** Longest query parsed, in characters; the rest is ignored. */
    public static final int MAX_QUERY_LENGTH = 4096;
    /** Most parameters kept; later ones are ignored. */
    public static final int MAX_PARAMS = 64;

    private QueryParams() {
    }

    /** Returns {@code s} without its leading and trailing {@code /} ({@code /live/} is {@code live}). */
    public static String trimSlashes(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && s.charAt(a) == '/') {
            a++;
        }
        while (b > a && s.charAt(b - 1) == '/') {
            b--;
        }
        return s.substring(a, b);
    }

    /** Returns the part of {@code s} before the first {@code ?} (all of it when there is none). */
    public static String stripQuery(String s) {
        if (s == null) {
            return "";
        }
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    /** Returns the part of {@code s} after the first {@code ?}, or empty. */
    public static String queryOf(String s) {
        if (s == null) {
            return "";
        }
        int q = s.indexOf('?');
        return q < 0 ? "" : s.substring(q + 1);
    }

    /**
     * Parses {@code a=1&b=2} into an ordered, unmodifiable map. Values are URL-decoded; a key
     * without {@code =} maps to the empty string; the first of repeated keys wins. Invalid
     * percent-escapes are kept as they are.
     */
    public static Map<String, String> parse(String query) {
        if (query == null || query.isEmpty()) {
            return Map.of();
        }
        String q = query.length() > MAX_QUERY_LENGTH ? query.substring(0, MAX_QUERY_LENGTH) : query;
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (out.size() >= MAX_PARAMS) {
                break;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!k.isEmpty()) {
                out.putIfAbsent(k, v);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Returns the parameters of {@code first} overridden by those of {@code second}. */
    public static Map<String, String> merge(Map<String, String> first, Map<String, String> second) {
        if (second.isEmpty()) {
            return first;
        }
        if (first.isEmpty()) {
            return second;
        }
        Map<String, String> out = new LinkedHashMap<>(first);
        out.putAll(second);
        return Collections.unmodifiableMap(out);
    }

    /** Formats parameters back as {@code ?a=1&b=2}, or empty when there are none (SRS {@code param}). */
    public static String format(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(b.length() == 0 ? '?' : '&').append(e.getKey());
            if (!e.getValue().isEmpty()) {
                b.append('=').append(e.getValue());
            }
        }
        return b.toString();
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}

package io.livehub.srt;

import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Parses an SRT stream id into a stream key, a mode and query parameters.
 *
 * <p>Three forms are understood:
 * <ul>
 *   <li>libsrt's access-control syntax (draft-sharabayko-srt section 3.2.1.3, libsrt
 *       {@code AccessControl.md}): {@code #!::r=live/livestream,m=publish,h=vhost,u=user,s=secret,t=stream}.
 *       {@code r} is the resource ({@code app/name}, optionally with {@code ?query}),
 *       {@code m} the mode ({@code request}, the default, or {@code publish}), {@code h} the
 *       virtual host; {@code s} is passed on as the {@code secret} parameter, {@code u} as
 *       {@code user}, {@code t} as {@code type}; other keys are passed on as they are.</li>
 *   <li>SRS's short form {@code live/livestream}, optionally with {@code ?m=publish&secret=x}.</li>
 *   <li>a bare name {@code livestream}, put into the default app.</li>
 * </ul>
 *
 * @param key    the stream
 * @param mode   publish or request (play)
 * @param params the query parameters for the events, in order of appearance
 *
 * <p>Thread-safety: immutable.
 */
public record SrtStreamId(StreamKey key, Mode mode, Map<String, String> params) {

    /** The prefix of the access-control syntax. */
    public static final String PREFIX = "#!::";

    /** Says what a caller wants to do with a stream. */
    public enum Mode {
        /** The caller sends the stream ({@code m=publish}). */
        PUBLISH,
        /** The caller receives the stream ({@code m=request}, the default). */
        REQUEST
    }

    public SrtStreamId {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mode, "mode");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Parses {@code raw}.
     *
     * @param defaultApp the app of a bare stream name
     * @throws IllegalArgumentException when there is no resource, the mode is unknown, or a part
     *         is not a valid stream name
     */
    public static SrtStreamId parse(String raw, String defaultApp) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("empty stream id");
        }
        Map<String, String> params = new LinkedHashMap<>();
        String resource;
        String vhost = null;
        String mode = null;
        if (raw.startsWith(PREFIX)) {
            resource = null;
            for (String item : raw.substring(PREFIX.length()).split(",")) {
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                String k = (eq < 0 ? item : item.substring(0, eq)).trim();
                String v = eq < 0 ? "" : item.substring(eq + 1).trim();
                switch (k) {
                    case "r":
                        resource = v;
                        break;
                    case "m":
                        mode = v;
                        break;
                    case "h":
                        vhost = v;
                        break;
                    case "s":
                        params.putIfAbsent("secret", v);
                        break;
                    case "u":
                        params.putIfAbsent("user", v);
                        break;
                    case "t":
                        params.putIfAbsent("type", v);
                        break;
                    default:
                        if (!k.isEmpty() && params.size() < QueryParams.MAX_PARAMS) {
                            params.putIfAbsent(k, v);
                        }
                        break;
                }
            }
            if (resource == null || resource.isEmpty()) {
                throw new IllegalArgumentException("stream id has no resource (r=)");
            }
        } else {
            resource = raw;
        }
        Map<String, String> query = QueryParams.parse(QueryParams.queryOf(resource));
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getKey().equals("m") && mode == null) {
                mode = e.getValue();
            } else if (e.getKey().equals("vhost") && vhost == null) {
                vhost = e.getValue();
            } else {
                params.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        String path = QueryParams.trimSlashes(QueryParams.stripQuery(resource));
        int slash = path.lastIndexOf('/');
        StreamKey key = slash < 0 ? StreamKey.of(vhost, defaultApp, path)
                : StreamKey.of(vhost, path.substring(0, slash), path.substring(slash + 1));
        return new SrtStreamId(key, mode(mode), params);
    }

    /**
     * Returns the host the caller named ({@code h=} or {@code ?vhost=}), or null: it goes into
     * the client's tcUrl, from which the session takes the vhost.
     */
    public String host() {
        return key.vhost().equals(StreamKey.DEFAULT_VHOST) ? null : key.vhost();
    }

    private static Mode mode(String m) {
        if (m == null || m.isEmpty() || m.equals("request") || m.equals("play")) {
            return Mode.REQUEST;
        }
        if (m.equals("publish")) {
            return Mode.PUBLISH;
        }
        throw new IllegalArgumentException("unsupported mode m=" + (m.length() > 32 ? m.substring(0, 32) : m));
    }
}

package io.livehub.media;

import java.util.Objects;

/**
 * Names one live stream: a virtual host, an application and a stream name, as in SRS
 * ({@code rtmp://host/app/name}).
 *
 * <p>Every part is validated once, when the key is made: at most {@link #MAX_PART_LENGTH}
 * characters of {@code [A-Za-z0-9._~@+=-]}, not empty, and never {@code .} or {@code ..}, so
 * a key can be used as a file path component without escaping. An app may contain single
 * {@code /} separators between valid segments ({@code live/sub}), a name may not.
 *
 * <p>Thread-safety: immutable.
 */
public final class StreamKey {

    /** The virtual host used when a client names none (SRS's spelling). */
    public static final String DEFAULT_VHOST = "__defaultVhost__";

    /** Longest allowed vhost, app segment or name, in characters. */
    public static final int MAX_PART_LENGTH = 128;

    private final String vhost;
    private final String app;
    private final String name;
    private volatile String id;

    private StreamKey(String vhost, String app, String name) {
        this.vhost = vhost;
        this.app = app;
        this.name = name;
    }

    /**
     * Returns the key for {@code app/name} on the default vhost.
     *
     * @throws IllegalArgumentException when a part is not a valid name
     */
    public static StreamKey of(String app, String name) {
        return of(DEFAULT_VHOST, app, name);
    }

    /**
     * Returns the key for {@code app/name} on {@code vhost}; a null or empty vhost means the
     * default vhost.
     *
     * @throws IllegalArgumentException when a part is not a valid name
     */
    public static StreamKey of(String vhost, String app, String name) {
        String v = vhost == null || vhost.isEmpty() ? DEFAULT_VHOST : vhost;
        if (!v.equals(DEFAULT_VHOST)) {
            checkPart("vhost", v);
        }
        Objects.requireNonNull(app, "app");
        if (app.isEmpty() || app.startsWith("/") || app.endsWith("/")) {
            throw new IllegalArgumentException("invalid app name: '" + printable(app) + "'");
        }
        for (String segment : app.split("/", -1)) {
            checkPart("app", segment);
        }
        checkPart("stream name", name);
        return new StreamKey(v, app, name);
    }

    /**
     * Parses {@code app/name} (the last {@code /} separates the name) on the default vhost.
     *
     * @throws IllegalArgumentException when the path has no app or a part is not valid
     */
    public static StreamKey parse(String path) {
        Objects.requireNonNull(path, "path");
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("stream path needs app/name: '" + printable(path) + "'");
        }
        return of(p.substring(0, slash), p.substring(slash + 1));
    }

    /** Returns whether {@code part} would be accepted as a stream name. */
    public static boolean isValidName(String part) {
        if (part == null || part.isEmpty() || part.length() > MAX_PART_LENGTH
                || part.equals(".") || part.equals("..")) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '-' || c == '@' || c == '+' || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether {@code app} would be accepted as an application: valid names separated by
     * single {@code /} ({@code live}, {@code live/sub}).
     */
    public static boolean isValidApp(String app) {
        if (app == null || app.isEmpty() || app.startsWith("/") || app.endsWith("/")) {
            return false;
        }
        for (String segment : app.split("/", -1)) {
            if (!isValidName(segment)) {
                return false;
            }
        }
        return true;
    }

    private static void checkPart(String what, String part) {
        if (!isValidName(part)) {
            throw new IllegalArgumentException("invalid " + what + ": '" + printable(part) + "'");
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 64 ? b + "..." : b.toString();
    }

    public String vhost() {
        return vhost;
    }

    public String app() {
        return app;
    }

    public String name() {
        return name;
    }

    /** Returns {@code app/name}, the form used in URLs and file paths. */
    public String path() {
        return app + "/" + name;
    }

    /**
     * Returns the stream's id, the same in hooks ({@code stream_id}), events and the management
     * API ({@code /api/v1/streams/{id}}): {@code vid-} and 10 hex digits of a SHA-256 of
     * {@code vhost/app/name}, so it is stable across restarts and servers.
     */
    public String id() {
        String i = id;
        if (i == null) {
            try {
                byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                        .digest((vhost + "/" + path()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                i = "vid-" + java.util.HexFormat.of().formatHex(h, 0, 5);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
            id = i;
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StreamKey)) {
            return false;
        }
        StreamKey k = (StreamKey) o;
        return vhost.equals(k.vhost) && app.equals(k.app) && name.equals(k.name);
    }

    @Override
    public int hashCode() {
        return (vhost.hashCode() * 31 + app.hashCode()) * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return DEFAULT_VHOST.equals(vhost) ? path() : vhost + "/" + path();
    }
}

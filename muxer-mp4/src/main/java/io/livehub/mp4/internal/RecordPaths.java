package io.livehub.mp4.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Expands a recording's path template and keeps the result inside the record root.
 *
 * <p>Stream keys are validated at the edge, but a file path is where a mistake costs most, so
 * every name is made safe again here and the result is checked: path separators, NUL,
 * control characters, {@code :} and a leading dot become {@code _}; each name is cut to
 * {@value #MAX_NAME_CHARS} characters and {@value #MAX_NAME_BYTES} bytes of UTF-8; each path
 * element must fit {@value #MAX_ELEMENT_BYTES}
 * bytes of UTF-8 (the usual file system limit); and the normalized path must lie under the root.
 *
 * <p>Thread-safety: stateless.
 */
public final class RecordPaths {

    /** Longest name put into a path; stream keys allow 128, file systems 255 bytes per element. */
    static final int MAX_NAME_CHARS = 64;
    /**
     * Longest name in UTF-8 bytes: two names, a timestamp and an extension still fit one path
     * element of {@value #MAX_ELEMENT_BYTES} bytes, whatever script the names are in.
     */
    static final int MAX_NAME_BYTES = 96;
    /** Longest path element in UTF-8 bytes, the limit of ext4, XFS, APFS and NTFS. */
    static final int MAX_ELEMENT_BYTES = 255;
    /** How many {@code -n} suffixes are tried before giving up on a unique name. */
    private static final int MAX_SUFFIX = 1000;

    private RecordPaths() {
    }

    /** Returns {@code name} made safe to be one path element; see the class notes. */
    public static String safeName(String name) {
        if (name == null || name.isEmpty()) {
            return "_";
        }
        StringBuilder b = new StringBuilder(Math.min(name.length(), MAX_NAME_CHARS));
        int count = 0;
        int bytes = 0;
        for (int i = 0; i < name.length() && count < MAX_NAME_CHARS; ) {
            int cp = name.codePointAt(i);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes > MAX_NAME_BYTES) {
                break;
            }
            i += Character.charCount(cp);
            count++;
            boolean bad = cp < 0x20 || cp == 0x7F || cp == '/' || cp == '\\' || cp == ':' || (b.length() == 0 && cp == '.')
                    || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE;
            if (bad) {
                b.append('_');
            } else {
                b.appendCodePoint(cp);
            }
        }
        String s = b.toString();
        return s.equals("..") || s.equals(".") ? "_" : s;
    }

    /**
     * Returns the template expanded for a recording of {@code vhost/app/stream} started at
     * {@code start}, as a path relative to the root.
     */
    public static String expand(String template, String vhost, String app, String stream, Instant start, ZoneId zone) {
        ZonedDateTime t = start.atZone(zone);
        return template.replace("{vhost}", safeName(vhost))
                .replace("{app}", safeName(app))
                .replace("{stream}", safeName(stream))
                .replace("{timestamp}", Long.toString(start.toEpochMilli()))
                .replace("{yyyy}", String.format("%04d", t.getYear()))
                .replace("{MM}", String.format("%02d", t.getMonthValue()))
                .replace("{dd}", String.format("%02d", t.getDayOfMonth()))
                .replace("{HH}", String.format("%02d", t.getHour()))
                .replace("{mm}", String.format("%02d", t.getMinute()))
                .replace("{ss}", String.format("%02d", t.getSecond()));
    }

    /**
     * Resolves {@code relative} under {@code root} to a file no other recording uses (a
     * {@code -1}, {@code -2}, ... before the extension when the name is taken).
     *
     * @throws IllegalArgumentException when the path would leave the root or an element is
     *     too long
     */
    public static Path resolve(Path root, String relative) {
        Path base = root.toAbsolutePath().normalize();
        Path p = base.resolve(relative).normalize();
        if (!p.startsWith(base) || p.equals(base)) {
            throw new IllegalArgumentException("recording path leaves the record root: " + relative);
        }
        for (Path element : base.relativize(p)) {
            if (element.toString().getBytes(StandardCharsets.UTF_8).length > MAX_ELEMENT_BYTES) {
                throw new IllegalArgumentException("recording path element too long: " + element);
            }
        }
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        Path candidate = p;
        for (int i = 1; taken(candidate); i++) {
            if (i > MAX_SUFFIX) {
                throw new IllegalArgumentException("no free file name for " + p);
            }
            candidate = p.resolveSibling(stem + "-" + i + ext);
        }
        return candidate;
    }

    private static boolean taken(Path p) {
        return Files.exists(p) || Files.exists(p.resolveSibling(p.getFileName() + ".part"));
    }

    /** Returns {@code file}'s path under {@code root} with {@code /} separators, URL-encoded per element. */
    public static String urlPath(Path root, Path file) {
        StringBuilder b = new StringBuilder();
        for (Path element : root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize())) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(java.net.URLEncoder.encode(element.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }
}

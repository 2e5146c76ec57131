package io.livehub.examples.full;

import io.livehub.hls.HlsConfig;
import io.livehub.hls.HlsSegmentFormat;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The full example server's HLS options. Each has a flag and an environment variable; unset means
 * the library's default (see {@link HlsConfig}).
 *
 * @param format     {@code --hls-format=ts|fmp4}, {@code LIVEHUB_HLS_FORMAT}: the segment format,
 *                   MPEG-TS by default
 * @param lowLatency {@code --hls-low-latency=true|false}, {@code LIVEHUB_HLS_LOW_LATENCY}:
 *                   Low-Latency HLS (parts, blocking reload, delta updates); off by default
 * @param directory  {@code --hls-dir=DIR}, {@code LIVEHUB_HLS_DIR}: also write playlists and
 *                   segments under this folder (like SRS's {@code hls_path}); null serves from
 *                   memory only
 * @param sessionTimeoutSeconds {@code --hls-session-timeout=S}, {@code LIVEHUB_HLS_SESSION_TIMEOUT}:
 *                   how long an HLS viewer may send no request before it counts as stopped
 *                   ({@code on_stop}); null keeps the library's 30 s
 */
public record HlsOptions(HlsSegmentFormat format, boolean lowLatency, Path directory, Integer sessionTimeoutSeconds) {

    /** Returns whether {@code name} (without the leading {@code --}) is one of these flags. */
    static boolean isFlag(String name) {
        return name.equals("hls-format") || name.equals("hls-low-latency") || name.equals("hls-dir")
                || name.equals("hls-session-timeout");
    }

    static final String USAGE = String.join("\n",
            "  HLS (http://HOST:HTTP_PORT/{app}/{stream}.m3u8):",
            "  --hls-format=F     ts (default) or fmp4 segments (env LIVEHUB_HLS_FORMAT)",
            "  --hls-low-latency=B  Low-Latency HLS with 200 ms parts (env LIVEHUB_HLS_LOW_LATENCY,",
            "                     default false)",
            "  --hls-dir=DIR      also write playlists and segments under DIR (env LIVEHUB_HLS_DIR;",
            "                     default none: served from memory only)",
            "  --hls-session-timeout=S  seconds without a request after which an HLS viewer has stopped",
            "                     (env LIVEHUB_HLS_SESSION_TIMEOUT, default 30)");

    /**
     * Reads the options from {@code flags} (flag name without {@code --} to value) over
     * {@code env}.
     *
     * @throws IllegalArgumentException with a message for the user when a value is wrong
     */
    static HlsOptions parse(Map<String, String> flags, Map<String, String> env) {
        String format = flags.getOrDefault("hls-format", env.getOrDefault("LIVEHUB_HLS_FORMAT", "ts"));
        String ll = flags.getOrDefault("hls-low-latency", env.getOrDefault("LIVEHUB_HLS_LOW_LATENCY", "false"));
        String dir = flags.getOrDefault("hls-dir", env.get("LIVEHUB_HLS_DIR"));
        String timeout = flags.getOrDefault("hls-session-timeout", env.get("LIVEHUB_HLS_SESSION_TIMEOUT"));
        Integer seconds = null;
        if (timeout != null && !timeout.isBlank()) {
            try {
                seconds = Integer.parseInt(timeout.trim());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 1 || seconds > 3600) {
                throw new IllegalArgumentException("hls-session-timeout must be 1 to 3600 seconds, not '" + timeout + "'");
            }
        }
        HlsSegmentFormat f = switch (format.trim().toLowerCase(Locale.ROOT)) {
            case "ts", "mpegts" -> HlsSegmentFormat.TS;
            case "fmp4", "cmaf", "mp4" -> HlsSegmentFormat.FMP4;
            default -> throw new IllegalArgumentException("HLS format must be ts or fmp4, not '" + format + "'");
        };
        boolean lowLatency = switch (ll.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("hls-low-latency must be true or false, not '" + ll + "'");
        };
        return new HlsOptions(f, lowLatency, dir == null || dir.isBlank() ? null : Path.of(dir.trim()), seconds);
    }

    /** Returns the HLS configuration these options describe. */
    public HlsConfig config() {
        HlsConfig.Builder b = HlsConfig.builder().segmentFormat(format).lowLatency(lowLatency);
        if (directory != null) {
            b.outputDirectory(directory);
        }
        if (sessionTimeoutSeconds != null) {
            b.playSessionTimeout(java.time.Duration.ofSeconds(sessionTimeoutSeconds));
        }
        return b.build();
    }
}

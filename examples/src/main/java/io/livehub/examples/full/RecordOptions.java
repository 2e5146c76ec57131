package io.livehub.examples.full;

import io.livehub.mp4.RecordConfig;
import io.livehub.mp4.RecordFormat;
import io.livehub.mp4.RecordPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The full example server's recording options. Each has a flag and an environment variable.
 *
 * @param on        {@code --record=on|off}, {@code RECORD}: record every stream; off by default
 * @param directory {@code --record-dir=DIR}, {@code LIVEHUB_RECORD_DIR}: the record root;
 *                  null for {@code DATA_DIR/record}
 * @param format    {@code --record-format=mp4|flv}, {@code LIVEHUB_RECORD_FORMAT}: mp4 by default
 * @param segment   {@code --record-segment=SECONDS}, {@code LIVEHUB_RECORD_SEGMENT}: a new file
 *                  every so many seconds (SRS {@code dvr_plan segment}); null for one file per
 *                  publish ({@code session})
 * @param retention {@code --record-retention-days=N}, {@code LIVEHUB_RECORD_RETENTION_DAYS}:
 *                  delete recordings older than N days; null keeps them
 */
public record RecordOptions(boolean on, Path directory, RecordFormat format, Duration segment, Duration retention) {

    /** Returns whether {@code name} (without the leading {@code --}) is one of these flags. */
    static boolean isFlag(String name) {
        return name.equals("record") || name.startsWith("record-");
    }

    static final String USAGE = String.join("\n",
            "  Recording (finished files at http://HOST:HTTP_PORT/record/..., behind the API token):",
            "  --record=B         record every stream (env RECORD, default off)",
            "  --record-dir=DIR   record root (env LIVEHUB_RECORD_DIR, default DATA_DIR/record)",
            "  --record-format=F  mp4 (default) or flv (env LIVEHUB_RECORD_FORMAT)",
            "  --record-segment=S a new file every S seconds (env LIVEHUB_RECORD_SEGMENT;",
            "                     default none: one file per publish)",
            "  --record-retention-days=N  delete recordings older than N days",
            "                     (env LIVEHUB_RECORD_RETENTION_DAYS; default none: kept)");

    /**
     * Reads the options from {@code flags} (flag name without {@code --} to value) over
     * {@code env}.
     *
     * @throws IllegalArgumentException with a message for the user when a flag or value is wrong
     */
    static RecordOptions parse(Map<String, String> flags, Map<String, String> env) {
        for (String k : flags.keySet()) {
            if (!k.equals("record") && !k.equals("record-dir") && !k.equals("record-format")
                    && !k.equals("record-segment") && !k.equals("record-retention-days")) {
                throw new IllegalArgumentException("unknown option '--" + k + "'");
            }
        }
        String on = flags.getOrDefault("record", env.getOrDefault("RECORD", "off"));
        String dir = flags.getOrDefault("record-dir", env.get("LIVEHUB_RECORD_DIR"));
        String format = flags.getOrDefault("record-format", env.getOrDefault("LIVEHUB_RECORD_FORMAT", "mp4"));
        String segment = flags.getOrDefault("record-segment", env.get("LIVEHUB_RECORD_SEGMENT"));
        String days = flags.getOrDefault("record-retention-days", env.get("LIVEHUB_RECORD_RETENTION_DAYS"));
        boolean record = switch (on.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("record must be on or off, not '" + on + "'");
        };
        RecordFormat f = switch (format.trim().toLowerCase(Locale.ROOT)) {
            case "mp4" -> RecordFormat.MP4;
            case "flv" -> RecordFormat.FLV;
            default -> throw new IllegalArgumentException("record format must be mp4 or flv, not '" + format + "'");
        };
        return new RecordOptions(record, dir == null || dir.isBlank() ? null : Path.of(dir.trim()), f,
                seconds("record-segment", segment, 1), days == null || days.isBlank() ? null
                        : Duration.ofDays(positive("record-retention-days", days)));
    }

    private static Duration seconds(String what, String value, int min) {
        if (value == null || value.isBlank()) {
            return null;
        }
        long s = positive(what, value);
        if (s < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
        }
        return Duration.ofSeconds(s);
    }

    private static long positive(String what, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a positive number, not '" + value + "'");
        }
    }

    /** Returns the recording configuration for a server whose data directory is {@code dataDir}. */
    public RecordConfig.Builder config(Path dataDir) {
        RecordConfig.Builder b = RecordConfig.builder(directory != null ? directory : dataDir.resolve("record"))
                .all().format(format).httpPath("/record/").retention(retention);
        if (segment != null) {
            b.plan(RecordPlan.SEGMENT).segmentDuration(segment);
        }
        return b;
    }
}

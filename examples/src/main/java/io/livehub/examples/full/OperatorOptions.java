package io.livehub.examples.full;

import io.livehub.MediaServer;
import io.livehub.console.ConsoleModule;
import io.livehub.metrics.MetricsModule;
import java.util.Locale;
import java.util.Map;

/**
 * The full example server's options for operators: Prometheus metrics and the web console.
 * Each has a flag and an environment variable.
 *
 * @param metrics      {@code --metrics=true|false}, {@code LIVEHUB_METRICS}: Prometheus metrics at
 *                     {@code /metrics} on the HTTP port (default true)
 * @param metricsToken {@code LIVEHUB_METRICS_TOKEN} (environment only, so it does not show in the
 *                     process list): a Bearer token the scraper must send; null leaves
 *                     {@code /metrics} open, as exporters usually are
 * @param console      {@code --console=true|false}, {@code LIVEHUB_CONSOLE}: the web console at
 *                     {@code /} and the players at {@code /players/} (default true)
 */
public record OperatorOptions(boolean metrics, String metricsToken, boolean console) {

    /** Returns whether {@code name} (without the leading {@code --}) is one of these flags. */
    static boolean isFlag(String name) {
        return name.equals("metrics") || name.equals("console");
    }

    static final String USAGE = String.join("\n",
            "  --metrics=B        Prometheus metrics at http://HOST:HTTP_PORT/metrics (env LIVEHUB_METRICS,",
            "                     default true); env LIVEHUB_METRICS_TOKEN asks scrapers for a Bearer token",
            "  --console=B        web console at http://HOST:HTTP_PORT/ and players at /players/",
            "                     (env LIVEHUB_CONSOLE, default true)",
            "  --version          print the version and the commit it was built from");

    /**
     * Reads the options from {@code flags} (flag name without {@code --} to value) over
     * {@code env}.
     *
     * @throws IllegalArgumentException with a message for the user when a value is wrong
     */
    static OperatorOptions parse(Map<String, String> flags, Map<String, String> env) {
        String token = env.get("LIVEHUB_METRICS_TOKEN");
        return new OperatorOptions(
                bool("metrics", flags.getOrDefault("metrics", env.getOrDefault("LIVEHUB_METRICS", "true"))),
                token == null || token.isBlank() ? null : token.trim(),
                bool("console", flags.getOrDefault("console", env.getOrDefault("LIVEHUB_CONSOLE", "true"))));
    }

    private static boolean bool(String name, String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, not '" + v + "'");
        };
    }

    /** Adds the modules these options ask for to {@code builder}. */
    MediaServer.Builder applyTo(MediaServer.Builder builder) {
        if (metrics) {
            builder.module(MetricsModule.builder().token(metricsToken).build());
        }
        if (console) {
            builder.module(ConsoleModule.builder().build());
        }
        return builder;
    }

    /** Returns what {@code --version} prints. */
    static String versionLine() {
        return "livehub-server " + MediaServer.VERSION + " (commit " + MediaServer.COMMIT + ", Java "
                + Runtime.version() + ")";
    }
}

package io.livehub.examples.full;

import java.nio.file.Path;
import java.util.Map;

/**
 * The full example server's settings, from command-line flags, then environment variables
 * (the names SRS Stack uses), then SRS's defaults.
 *
 * @param rtmpPort {@code --rtmp-port}, {@code RTMP_PORT}, default 1935
 * @param httpPort {@code --http-port}, {@code HTTP_PORT}, default 8080 (HTTP-FLV, later HLS and the API)
 * @param dataDir  {@code --data-dir}, {@code DATA_DIR}, default {@code ./data}
 * @param host     {@code --host}, {@code LIVEHUB_HOST}, default {@code 0.0.0.0}: the address to bind
 */
public record ServerOptions(int rtmpPort, int httpPort, Path dataDir, String host) {

    static final String USAGE = String.join("\n",
            "Usage: java -jar livehub-server.jar [options]",
            "  --rtmp-port=N   RTMP port (env RTMP_PORT, default 1935)",
            "  --http-port=N   HTTP port for HTTP-FLV (env HTTP_PORT, default 8080)",
            "  --data-dir=DIR  data directory (env DATA_DIR, default ./data)",
            "  --host=ADDR     address to bind (env LIVEHUB_HOST, default 0.0.0.0)",
            "  --help          this text");

    /**
     * Parses flags over environment values.
     *
     * @throws IllegalArgumentException with a message for the user when a value is wrong
     */
    static ServerOptions parse(String[] args, Map<String, String> env) {
        String rtmp = env.getOrDefault("RTMP_PORT", "1935");
        String http = env.getOrDefault("HTTP_PORT", "8080");
        String data = env.getOrDefault("DATA_DIR", "./data");
        String host = env.getOrDefault("LIVEHUB_HOST", "0.0.0.0");
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                throw new HelpRequested();
            }
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
            String k = a.substring(2, eq);
            String v = a.substring(eq + 1);
            switch (k) {
                case "rtmp-port" -> rtmp = v;
                case "http-port" -> http = v;
                case "data-dir" -> data = v;
                case "host" -> host = v;
                default -> throw new IllegalArgumentException("unknown option '--" + k + "'");
            }
        }
        return new ServerOptions(port("RTMP port", rtmp), port("HTTP port", http), Path.of(data), host);
    }

    private static int port(String what, String v) {
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number from 0 to 65535, not '" + v + "'");
        }
    }

    /** Thrown by {@link #parse} for {@code --help}. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super(null, null, false, false);
        }
    }
}

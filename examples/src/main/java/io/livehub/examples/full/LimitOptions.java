package io.livehub.examples.full;

import io.livehub.hooks.api.ApiRequestGuard;
import io.livehub.http.HttpServerConfig;
import io.livehub.hub.HubConfig;
import io.livehub.rtmp.RtmpConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The full example server's protective limits against clients that hold resources without
 * making progress, and the management API's browser rules. Each has a flag and an environment
 * variable; the defaults are the library's (the reasons are in {@link HttpServerConfig},
 * {@link RtmpConfig}, {@link HubConfig} and {@link ApiRequestGuard}).
 *
 * @param httpHeadTimeoutSeconds     {@code --http-head-timeout=S}, {@code LIVEHUB_HTTP_HEAD_TIMEOUT}:
 *                                   seconds a request head may take from its first byte (default 10; 0 off)
 * @param httpMaxConnectionsPerIp    {@code --http-max-connections-per-ip=N},
 *                                   {@code LIVEHUB_HTTP_MAX_CONNECTIONS_PER_IP} (default 256)
 * @param httpMaxConnections         {@code --http-max-connections=N}, {@code LIVEHUB_HTTP_MAX_CONNECTIONS}
 *                                   (default 10000)
 * @param rtmpMaxConnectionsPerIp    {@code --rtmp-max-connections-per-ip=N},
 *                                   {@code LIVEHUB_RTMP_MAX_CONNECTIONS_PER_IP} (default 128)
 * @param rtmpMaxConnections         {@code --rtmp-max-connections=N}, {@code LIVEHUB_RTMP_MAX_CONNECTIONS}
 *                                   (default 10000)
 * @param writeTimeoutSeconds        {@code --write-timeout=S}, {@code LIVEHUB_WRITE_TIMEOUT}: seconds a
 *                                   player may take no data before it is closed (default 20; 0 off)
 * @param apiAllowedOrigins          {@code --api-allowed-origins=URL,...}, {@code LIVEHUB_API_ALLOWED_ORIGINS}:
 *                                   web origins whose pages may call the management API (default none)
 * @param apiAllowedHosts            {@code --api-allowed-hosts=NAME,...}, {@code LIVEHUB_API_ALLOWED_HOSTS}:
 *                                   {@code Host} names the management API answers to besides the machine's
 */
public record LimitOptions(int httpHeadTimeoutSeconds, int httpMaxConnectionsPerIp, int httpMaxConnections,
                           int rtmpMaxConnectionsPerIp, int rtmpMaxConnections, int writeTimeoutSeconds,
                           List<String> apiAllowedOrigins, List<String> apiAllowedHosts) {

    public LimitOptions {
        apiAllowedOrigins = List.copyOf(apiAllowedOrigins);
        apiAllowedHosts = List.copyOf(apiAllowedHosts);
    }

    /** The flags, without their leading {@code --}, that {@link #parse} reads. */
    static boolean isFlag(String name) {
        return switch (name) {
            case "http-head-timeout", "http-max-connections-per-ip", "http-max-connections",
                    "rtmp-max-connections-per-ip", "rtmp-max-connections", "write-timeout",
                    "api-allowed-origins", "api-allowed-hosts" -> true;
            default -> false;
        };
    }

    static final String USAGE = String.join("\n",
            "  limits (clients that hold resources without making progress):",
            "  --http-head-timeout=S  seconds an HTTP request head may take (env LIVEHUB_HTTP_HEAD_TIMEOUT,",
            "                     default 10; 0 off)",
            "  --http-max-connections-per-ip=N  (env LIVEHUB_HTTP_MAX_CONNECTIONS_PER_IP, default 256)",
            "  --http-max-connections=N  (env LIVEHUB_HTTP_MAX_CONNECTIONS, default 10000)",
            "  --rtmp-max-connections-per-ip=N  (env LIVEHUB_RTMP_MAX_CONNECTIONS_PER_IP, default 128)",
            "  --rtmp-max-connections=N  (env LIVEHUB_RTMP_MAX_CONNECTIONS, default 10000)",
            "  --write-timeout=S  close a player that takes no data for S seconds (env LIVEHUB_WRITE_TIMEOUT,",
            "                     default 20; 0 off)",
            "  --api-allowed-origins=URL,...  web origins whose pages may call the API (with a token;",
            "                     env LIVEHUB_API_ALLOWED_ORIGINS, default none)",
            "  --api-allowed-hosts=NAME,...  Host names the API answers to besides this machine's",
            "                     (env LIVEHUB_API_ALLOWED_HOSTS, default none)");

    /**
     * Reads the limits from {@code flags} (flag name without {@code --} to value) over {@code env}.
     *
     * @throws IllegalArgumentException with a message for the user when a value is wrong
     */
    static LimitOptions parse(Map<String, String> flags, Map<String, String> env) {
        return new LimitOptions(
                number("HTTP head timeout", value(flags, env, "http-head-timeout", "LIVEHUB_HTTP_HEAD_TIMEOUT", "10"), 0, 3600),
                number("HTTP connections per IP", value(flags, env, "http-max-connections-per-ip",
                        "LIVEHUB_HTTP_MAX_CONNECTIONS_PER_IP", "256"), 1, 1_000_000),
                number("HTTP connections", value(flags, env, "http-max-connections",
                        "LIVEHUB_HTTP_MAX_CONNECTIONS", "10000"), 1, 1_000_000),
                number("RTMP connections per IP", value(flags, env, "rtmp-max-connections-per-ip",
                        "LIVEHUB_RTMP_MAX_CONNECTIONS_PER_IP", "128"), 1, 1_000_000),
                number("RTMP connections", value(flags, env, "rtmp-max-connections",
                        "LIVEHUB_RTMP_MAX_CONNECTIONS", "10000"), 1, 1_000_000),
                number("write timeout", value(flags, env, "write-timeout", "LIVEHUB_WRITE_TIMEOUT", "20"), 0, 3600),
                list(value(flags, env, "api-allowed-origins", "LIVEHUB_API_ALLOWED_ORIGINS", "")),
                list(value(flags, env, "api-allowed-hosts", "LIVEHUB_API_ALLOWED_HOSTS", "")));
    }

    /** Sets the HTTP limits on {@code b} and returns it. */
    public HttpServerConfig.Builder applyTo(HttpServerConfig.Builder b) {
        return b.requestHeadTimeout(Duration.ofSeconds(httpHeadTimeoutSeconds))
                .maxConnectionsPerAddress(httpMaxConnectionsPerIp).maxConnections(httpMaxConnections);
    }

    /** Sets the RTMP limits on {@code b} and returns it. */
    public <B extends RtmpConfig.Settings<B>> B applyTo(B b) {
        return b.maxConnectionsPerAddress(rtmpMaxConnectionsPerIp).maxConnections(rtmpMaxConnections);
    }

    /** Returns {@code hub} with the write deadline set. */
    public HubConfig applyTo(HubConfig hub) {
        return hub.toBuilder().writeTimeout(Duration.ofSeconds(writeTimeoutSeconds)).build();
    }

    /** Returns the management API's request rules with {@code token}. */
    public ApiRequestGuard apiGuard(String token) {
        return ApiRequestGuard.builder().token(token).allowedOrigins(apiAllowedOrigins)
                .allowedHosts(apiAllowedHosts).build();
    }

    private static String value(Map<String, String> flags, Map<String, String> env, String flag, String var,
                                String def) {
        return flags.getOrDefault(flag, env.getOrDefault(var, def));
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static int number(String what, String v, int min, int max) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number from " + min + " to " + max + ", not '" + v + "'");
        }
    }
}

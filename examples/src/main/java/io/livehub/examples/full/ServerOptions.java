package io.livehub.examples.full;

import io.livehub.hooks.HookAction;
import io.livehub.hooks.HookStyle;
import io.livehub.hooks.HttpHooksConfig;
import io.livehub.srt.SrtConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * Holds the full example server's settings, from command-line flags, then environment variables
 * (the names SRS Stack uses), then SRS's defaults.
 *
 * @param rtmpPort  {@code --rtmp-port}, {@code RTMP_PORT}, default 1935
 * @param httpPort  {@code --http-port}, {@code HTTP_PORT}, default 8080 (HTTP-FLV, later HLS and the API)
 * @param srtPort   {@code --srt-port}, {@code SRT_PORT}, default 10080 (UDP)
 * @param dataDir   {@code --data-dir}, {@code DATA_DIR}, default {@code ./data}
 * @param host      {@code --host}, {@code LIVEHUB_HOST}, default {@code 0.0.0.0}: the address to bind
 * @param secret    {@code --secret}, {@code LIVEHUB_SECRET}: the publish secret; null when unset
 *                  (a secret is then generated once and kept in {@code DATA_DIR/secret}), empty
 *                  to publish without one
 * @param hooks     {@code --hooks}, {@code LIVEHUB_HOOKS}: comma-separated URLs that receive every
 *                  event as an HTTP callback; default none
 * @param eventHooks {@code --hook-on-connect}, {@code LIVEHUB_HOOK_ON_CONNECT}, ... one flag and
 *                  variable per event (as SRS's {@code http_hooks} has one URL list per event):
 *                  comma-separated URLs that receive that event, besides {@code hooks}
 * @param hookStyle {@code --hook-style}, {@code LIVEHUB_HOOK_STYLE}: {@code srs} (default) or
 *                  {@code srs-stack}, the shape of the callback bodies
 * @param apiToken  {@code LIVEHUB_API_TOKEN}: the management API's Bearer token (or Basic password
 *                  with any user name); null or empty serves the API on loopback only. Only the
 *                  environment sets it, so it does not show in the process list.
 * @param srtPassphrase {@code --srt-passphrase}, {@code LIVEHUB_SRT_PASSPHRASE}: the SRT
 *                  encryption passphrase (10 to 79 characters) every SRT caller must use, as
 *                  libsrt's {@code passphrase} option; null or empty for unencrypted SRT
 * @param fanOut    the fan-out knobs ({@code --merge-write-window}, {@code --queue-frames},
 *                  {@code --chunk-size}, {@code --worker-threads}, {@code --native},
 *                  {@code --tcp-nodelay} and their environment variables), see {@link FanOutOptions}
 * @param hls       the HLS options ({@code --hls-format}, {@code --hls-low-latency},
 *                  {@code --hls-dir} and their environment variables), see {@link HlsOptions}
 * @param limits    the protective limits ({@code --http-head-timeout}, {@code --write-timeout},
 *                  the connection caps, the API's allowed origins and hosts), see {@link LimitOptions}
 * @param virtual   the virtual live options ({@code --virtual}, {@code --media-dir} and their
 *                  environment variables), see {@link VirtualOptions}
 * @param rtc       the WebRTC options ({@code --rtc-port}, {@code --rtc-candidates}), see {@link RtcOptions}
 * @param forward   the forward destinations ({@code --forward}), see {@link ForwardOptions}
 * @param record    the recording options ({@code --record}, {@code --record-dir}, ... and their
 *                  environment variables), see {@link RecordOptions}
 * @param operator  metrics and the web console ({@code --metrics}, {@code --console}), see
 *                  {@link OperatorOptions}
 */
public record ServerOptions(int rtmpPort, int httpPort, int srtPort, Path dataDir, String host, String secret,
                            List<String> hooks, Map<HookAction, List<String>> eventHooks, HookStyle hookStyle,
                            String apiToken, String srtPassphrase, FanOutOptions fanOut, HlsOptions hls,
                            LimitOptions limits, VirtualOptions virtual, RecordOptions record,
                            RtcOptions rtc, ForwardOptions forward, OperatorOptions operator) {

    public ServerOptions {
        hooks = List.copyOf(hooks);
        eventHooks = Map.copyOf(eventHooks);
    }

    /** Returns whether any callback URL is configured. */
    public boolean hasHooks() {
        return !hooks.isEmpty() || !eventHooks.isEmpty();
    }

    /** Returns the flag name for one event's callback URLs: {@code hook-on-connect}, ... */
    static String hookFlag(HookAction a) {
        return "hook-" + a.action().replace('_', '-');
    }

    /** Returns the environment variable for one event's callback URLs: {@code LIVEHUB_HOOK_ON_CONNECT}, ... */
    static String hookVariable(HookAction a) {
        return "LIVEHUB_HOOK_" + a.action().toUpperCase(Locale.ROOT);
    }

    static final String USAGE = String.join("\n",
            "Usage: java -jar livehub-server.jar [options]",
            "  --rtmp-port=N      RTMP port (env RTMP_PORT, default 1935)",
            "  --http-port=N      HTTP port for HTTP-FLV and the API (env HTTP_PORT, default 8080)",
            "  --srt-port=N       SRT port, UDP (env SRT_PORT, default 10080)",
            "  --data-dir=DIR     data directory (env DATA_DIR, default ./data)",
            "  --host=ADDR        address to bind (env LIVEHUB_HOST, default 0.0.0.0)",
            "  --secret=S         publish secret (env LIVEHUB_SECRET; unset: generated once and kept",
            "                     in DATA_DIR/secret; empty: publishing needs no secret)",
            "  --hooks=URL,...    HTTP callback URLs that receive every event (env LIVEHUB_HOOKS)",
            "  --hook-on-connect=URL,...  callback URLs for one event only, as SRS's per-event http_hooks",
            "                     (env LIVEHUB_HOOK_ON_CONNECT); likewise --hook-on-close, --hook-on-publish,",
            "                     --hook-on-unpublish, --hook-on-play, --hook-on-stop, --hook-on-dvr, --hook-on-hls,",
            "                     --hook-on-record-begin, --hook-on-record-end",
            "  --hook-style=S     callback bodies: srs or srs-stack (env LIVEHUB_HOOK_STYLE, default srs)",
            "  --srt-passphrase=P SRT encryption passphrase, 10 to 79 characters, that every SRT caller",
            "                     must use (env LIVEHUB_SRT_PASSPHRASE; default none: unencrypted)",
            "  env LIVEHUB_API_TOKEN  management API (/api/v1/...) token: Bearer, or Basic with any user;",
            "                     unset: the API answers on loopback only",
            FanOutOptions.USAGE,
            HlsOptions.USAGE,
            LimitOptions.USAGE,
            VirtualOptions.USAGE,
            RecordOptions.USAGE,
            RtcOptions.USAGE,
            ForwardOptions.USAGE,
            OperatorOptions.USAGE,
            "  --help             this text");

    /**
     * Parses flags over environment values.
     *
     * @throws IllegalArgumentException with a message for the user when a value is wrong
     */
    static ServerOptions parse(String[] args, Map<String, String> env) {
        String rtmp = env.getOrDefault("RTMP_PORT", "1935");
        String http = env.getOrDefault("HTTP_PORT", "8080");
        String srt = env.getOrDefault("SRT_PORT", "10080");
        String data = env.getOrDefault("DATA_DIR", "./data");
        String host = env.getOrDefault("LIVEHUB_HOST", "0.0.0.0");
        String secret = env.get("LIVEHUB_SECRET");
        String hooks = env.getOrDefault("LIVEHUB_HOOKS", "");
        String style = env.getOrDefault("LIVEHUB_HOOK_STYLE", "srs");
        String srtPassphrase = env.get("LIVEHUB_SRT_PASSPHRASE");
        Map<HookAction, String> perEvent = new EnumMap<>(HookAction.class);
        for (HookAction a : HookAction.values()) {
            String v = env.get(hookVariable(a));
            if (v != null) {
                perEvent.put(a, v);
            }
        }
        Map<String, String> fanOutFlags = new HashMap<>();
        Map<String, String> hlsFlags = new HashMap<>();
        Map<String, String> operatorFlags = new HashMap<>();
        Map<String, String> limitFlags = new HashMap<>();
        Map<String, String> virtualFlags = new HashMap<>();
        Map<String, String> recordFlags = new HashMap<>();
        Map<String, String> rtcFlags = new HashMap<>();
        Map<String, String> forwardFlags = new HashMap<>();
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                throw new HelpRequested();
            }
            if (a.equals("--version")) {
                throw new VersionRequested();
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
                case "srt-port" -> srt = v;
                case "data-dir" -> data = v;
                case "host" -> host = v;
                case "secret" -> secret = v;
                case "hooks" -> hooks = v;
                case "hook-style" -> style = v;
                case "srt-passphrase" -> srtPassphrase = v;
                default -> {
                    HookAction event = null;
                    for (HookAction action : HookAction.values()) {
                        if (hookFlag(action).equals(k)) {
                            event = action;
                        }
                    }
                    if (event != null) {
                        perEvent.put(event, v);
                    } else if (FanOutOptions.isFlag(k)) {
                        fanOutFlags.put(k, v);
                    } else if (HlsOptions.isFlag(k)) {
                        hlsFlags.put(k, v);
                    } else if (LimitOptions.isFlag(k)) {
                        limitFlags.put(k, v);
                    } else if (VirtualOptions.isFlag(k)) {
                        virtualFlags.put(k, v);
                    } else if (RecordOptions.isFlag(k)) {
                        recordFlags.put(k, v);
                    } else if (RtcOptions.isFlag(k)) {
                        rtcFlags.put(k, v);
                    } else if (ForwardOptions.isFlag(k)) {
                        forwardFlags.put(k, v);
                    } else if (OperatorOptions.isFlag(k)) {
                        operatorFlags.put(k, v);
                    } else {
                        throw new IllegalArgumentException("unknown option '--" + k + "'");
                    }
                }
            }
        }
        return new ServerOptions(port("RTMP port", rtmp), port("HTTP port", http), port("SRT port", srt),
                Path.of(data), host,
                secret == null ? null : secret.trim(), hookUrls("LIVEHUB_HOOKS", hooks), eventHooks(perEvent),
                HookStyle.of(style),
                apiToken(env.get("LIVEHUB_API_TOKEN")), srtPassphrase(srtPassphrase),
                FanOutOptions.parse(fanOutFlags, env), HlsOptions.parse(hlsFlags, env),
                LimitOptions.parse(limitFlags, env), VirtualOptions.parse(virtualFlags, env),
                RecordOptions.parse(recordFlags, env), RtcOptions.parse(rtcFlags, env),
                ForwardOptions.parse(forwardFlags, env), OperatorOptions.parse(operatorFlags, env));
    }

    private static String srtPassphrase(String p) {
        if (p == null || p.isEmpty()) {
            return null;
        }
        try {
            SrtConfig.builder().passphrase(p).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LIVEHUB_SRT_PASSPHRASE / --srt-passphrase: " + e.getMessage());
        }
        return p;
    }

    private static String apiToken(String token) {
        return token == null || token.trim().isEmpty() ? null : token.trim();
    }

    private static Map<HookAction, List<String>> eventHooks(Map<HookAction, String> perEvent) {
        Map<HookAction, List<String>> m = new EnumMap<>(HookAction.class);
        perEvent.forEach((a, v) -> {
            List<String> urls = hookUrls(hookVariable(a) + " / --" + hookFlag(a), v);
            if (!urls.isEmpty()) {
                m.put(a, urls);
            }
        });
        return m;
    }

    private static List<String> hookUrls(String what, String list) {
        List<String> urls = new ArrayList<>();
        for (String u : list.split(",")) {
            String url = u.trim();
            if (url.isEmpty()) {
                continue;
            }
            try {
                HttpHooksConfig.builder().allEvents(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage());
            }
            urls.add(url);
        }
        return urls;
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

    /** Thrown by {@link #parse} for {@code --version}. */
    static final class VersionRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VersionRequested() {
            super(null, null, false, false);
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

package io.livehub.push.internal;

import io.livehub.push.PushProtocol;
import io.livehub.rtmp.client.RtmpUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses push destination URLs: RTMP with a separate stream key or the key as the last path
 * segment, SRT with libsrt's URL options, and UDP. Parsing never resolves a host name, so the
 * API that calls it never waits on the network.
 *
 * <p>Thread-safety: stateless.
 */
public final class DestinationUrls {

    /** Longest SRT stream id: the handshake extension holds at most 512 bytes (draft-sharabayko-srt 3.2.1.3). */
    static final int MAX_SRT_STREAM_ID = 512;

    private DestinationUrls() {
    }

    /** Where an SRT caller connects and with which options. */
    public record SrtTarget(String host, int port, String streamId, String passphrase, int keyLength,
                            int latencyMillis) {
    }

    /** Where MPEG-TS datagrams go. */
    public record UdpTarget(String host, int port) {
    }

    /**
     * Checks {@code url} for {@code protocol}.
     *
     * @throws IllegalArgumentException with the reason when it is not usable
     */
    public static void check(PushProtocol protocol, String url, String streamKey) {
        switch (protocol) {
            case RTMP, RTMPS -> rtmp(protocol, url, streamKey);
            case SRT -> srt(url, streamKey);
            case MPEGTS -> udp(url);
            default -> throw new IllegalArgumentException("unknown protocol " + protocol);
        }
    }

    /**
     * Returns the RTMP URL to publish to: {@code url + "/" + streamKey}, or {@code url} itself
     * when the key is empty, its last segment then being the key.
     */
    public static RtmpUrl rtmp(PushProtocol protocol, String url, String streamKey) {
        String scheme = protocol == PushProtocol.RTMPS ? "rtmps" : "rtmp";
        if (!url.regionMatches(true, 0, scheme + "://", 0, scheme.length() + 3)) {
            throw new IllegalArgumentException("a " + scheme + " url starts with " + scheme + "://");
        }
        String full = url;
        if (streamKey != null && !streamKey.isEmpty()) {
            String base = url;
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            full = base + "/" + streamKey;
        }
        return RtmpUrl.parse(full);
    }

    /** Returns the SRT target of {@code srt://host:port?options}. */
    public static SrtTarget srt(String url, String streamKey) {
        URI u = uri(url, "srt");
        Map<String, String> q = query(u.getRawQuery());
        String mode = q.getOrDefault("mode", "caller");
        if (!mode.equalsIgnoreCase("caller")) {
            throw new IllegalArgumentException("SRT push supports mode=caller only: " + mode);
        }
        String streamId = q.get("streamid");
        if ((streamId == null || streamId.isEmpty()) && streamKey != null && !streamKey.isEmpty()) {
            streamId = streamKey;
        }
        if (streamId != null && streamId.getBytes(StandardCharsets.UTF_8).length > MAX_SRT_STREAM_ID) {
            throw new IllegalArgumentException("SRT streamid is longer than " + MAX_SRT_STREAM_ID + " bytes");
        }
        String passphrase = q.get("passphrase");
        if (passphrase != null) {
            int n = passphrase.getBytes(StandardCharsets.UTF_8).length;
            if (n < 10 || n > 79) {
                throw new IllegalArgumentException("SRT passphrase must be 10 to 79 bytes");
            }
        }
        int keyLength = intOption(q, "pbkeylen", 16);
        if (keyLength != 16 && keyLength != 24 && keyLength != 32) {
            throw new IllegalArgumentException("SRT pbkeylen must be 16, 24 or 32: " + keyLength);
        }
        int latency = intOption(q, "latency", -1);
        if (latency > 65_535) {
            // ffmpeg's srt:// and OvenMediaEngine's examples give microseconds; libsrt gives ms.
            latency = latency / 1000;
        }
        if (latency > 65_535) {
            throw new IllegalArgumentException("SRT latency is out of range");
        }
        return new SrtTarget(host(u), port(u), streamId, passphrase, keyLength, latency);
    }

    /** Returns the UDP target of {@code udp://host:port}. */
    public static UdpTarget udp(String url) {
        URI u = uri(url, "udp");
        return new UdpTarget(host(u), port(u));
    }

    /** Returns {@code url} without its query and user info, which may carry secrets, for logs. */
    public static String redact(String url) {
        if (url == null) {
            return "null";
        }
        int q = url.indexOf('?');
        String s = q < 0 ? url : url.substring(0, q) + "?...";
        int scheme = s.indexOf("://");
        int at = s.indexOf('@');
        if (scheme >= 0 && at > scheme) {
            s = s.substring(0, scheme + 3) + s.substring(at + 1);
        }
        return s;
    }

    private static URI uri(String url, String scheme) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
        if (u.getScheme() == null || !u.getScheme().equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("url must start with " + scheme + "://");
        }
        return u;
    }

    private static String host(URI u) {
        String h = u.getHost();
        if (h == null || h.isEmpty()) {
            throw new IllegalArgumentException("url has no host");
        }
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static int port(URI u) {
        if (u.getPort() < 1 || u.getPort() > 65535) {
            throw new IllegalArgumentException("url needs a port 1..65535");
        }
        return u.getPort();
    }

    private static int intOption(Map<String, String> q, String name, int dflt) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SRT option " + name + " is not a number: " + v, e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
                    URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }
}

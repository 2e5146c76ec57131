package io.livehub.examples.full;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The full example server's WebRTC options (WHIP publish and WHEP play on the HTTP port, media on
 * one UDP port), with SRS's names.
 *
 * @param port       {@code --rtc-port=N}, {@code RTC_PORT}: the UDP port of every WebRTC session,
 *                   8000 as SRS's
 * @param candidates {@code --rtc-candidates=IP,...}, {@code LIVEHUB_RTC_CANDIDATES}: the addresses
 *                   offered to browsers (a public IP behind NAT, say; IPs, not names); empty means
 *                   the host's interface addresses, loopback included
 */
public record RtcOptions(int port, List<InetAddress> candidates) {

    public RtcOptions {
        candidates = List.copyOf(candidates);
    }

    static boolean isFlag(String name) {
        return name.equals("rtc-port") || name.equals("rtc-candidates");
    }

    static final String USAGE = String.join("\n",
            "  WebRTC (WHIP http://HOST:HTTP_PORT/rtc/v1/whip/?app=live&stream=S, WHEP .../rtc/v1/whep/...):",
            "  --rtc-port=N       UDP port of every WebRTC session (env RTC_PORT, default 8000)",
            "  --rtc-candidates=IP,...  addresses offered to browsers, e.g. a public IP behind NAT",
            "                     (env LIVEHUB_RTC_CANDIDATES; default: the host's interface addresses)");

    /**
     * Reads the options from {@code flags} over {@code env}.
     *
     * @throws IllegalArgumentException with a message for the user when a value is wrong
     */
    static RtcOptions parse(Map<String, String> flags, Map<String, String> env) {
        String port = flags.getOrDefault("rtc-port", env.getOrDefault("RTC_PORT", "8000"));
        String list = flags.getOrDefault("rtc-candidates", env.getOrDefault("LIVEHUB_RTC_CANDIDATES", ""));
        int p;
        try {
            p = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("RTC port must be a number from 0 to 65535, not '" + port + "'");
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String item : list.split(",")) {
            String ip = item.trim();
            if (ip.isEmpty()) {
                continue;
            }
            if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                throw new IllegalArgumentException("LIVEHUB_RTC_CANDIDATES takes IP addresses, not '" + ip + "'");
            }
            try {
                addresses.add(InetAddress.getByName(ip)); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("LIVEHUB_RTC_CANDIDATES: not an IP address: '" + ip + "'");
            }
        }
        return new RtcOptions(p, addresses);
    }
}

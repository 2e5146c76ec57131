package io.livehub.push;

import java.util.Locale;

/**
 * Names the protocol a push task speaks to its destination, spelled as in OvenMediaEngine's
 * {@code startPush} body.
 *
 * <p>Thread-safety: immutable.
 */
public enum PushProtocol {
    /** RTMP over TCP, {@code rtmp://host[:port]/app[/stream]}. */
    RTMP,
    /** RTMP over TLS with SNI, {@code rtmps://host[:port]/app[/stream]}. */
    RTMPS,
    /** SRT caller carrying MPEG-TS, {@code srt://host:port[?streamid=..&passphrase=..&latency=..]}. */
    SRT,
    /** MPEG-TS in UDP datagrams of seven 188-byte packets, {@code udp://host:port}. */
    MPEGTS;

    /** Returns the API spelling: {@code rtmp}, {@code rtmps}, {@code srt}, {@code mpegts}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an API spelling, case-insensitively.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static PushProtocol parse(String s) {
        if (s != null) {
            for (PushProtocol p : values()) {
                if (p.apiName().equalsIgnoreCase(s.trim())) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("protocol must be rtmp, rtmps, srt or mpegts: " + s);
    }
}

package io.livehub.hooks;

import java.util.Set;

/**
 * Maps the one client lifecycle that every protocol runs in Livehub (connect, publish or play,
 * unpublish or stop, close) to the callbacks SRS sends for that protocol, so that a hook server
 * written for SRS sees what it would see from SRS:
 *
 * <table>
 *   <caption>Callbacks by protocol</caption>
 *   <tr><th>protocol</th><th>on_connect / on_close</th><th>on_publish / on_unpublish</th><th>on_play / on_stop</th></tr>
 *   <tr><td>rtmp, rtmps, srt</td><td>yes</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>http-flv, hls, webrtc</td><td>no</td><td>yes (webrtc)</td><td>yes</td></tr>
 *   <tr><td>file (virtual live)</td><td>no</td><td>yes</td><td>-</td></tr>
 *   <tr><td>record, push</td><td>no</td><td>-</td><td>no (SRS's DVR and forward ask nobody)</td></tr>
 * </table>
 *
 * <p>Java listeners ({@link io.livehub.event.MediaServerListener}) see every event of every
 * protocol; only the HTTP callbacks are filtered.
 */
final class SrsHookMapping {

    private static final Set<String> CONNECTING = Set.of("rtmp", "rtmps", "srt");
    private static final Set<String> NOT_PLAYERS = Set.of("record", "push");

    private SrsHookMapping() {
    }

    /** Returns whether SRS sends {@code on_connect} and {@code on_close} for clients of {@code protocol}. */
    static boolean sendsConnect(String protocol) {
        return CONNECTING.contains(protocol);
    }

    /** Returns whether SRS sends {@code on_play} and {@code on_stop} for players of {@code protocol}. */
    static boolean sendsPlay(String protocol) {
        return !NOT_PLAYERS.contains(protocol);
    }
}

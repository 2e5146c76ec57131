package io.livehub.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * One m-section of a session description (RFC 8866 section 5.14): its media line and the
 * lines that follow it, in order.
 *
 * <p>Thread-safety: immutable.
 */
public final class MediaDescription {

    private final String media;
    private final int port;
    private final String proto;
    private final List<String> formats;
    private final List<SessionDescription.Line> lines;

    MediaDescription(String media, int port, String proto, List<String> formats, List<SessionDescription.Line> lines) {
        this.media = media;
        this.port = port;
        this.proto = proto;
        this.formats = List.copyOf(formats);
        this.lines = List.copyOf(lines);
    }

    /** Returns the media type: {@code video}, {@code audio}, {@code application}. */
    public String media() {
        return media;
    }

    public int port() {
        return port;
    }

    /** Returns the transport protocol, e.g. {@code UDP/TLS/RTP/SAVPF}. */
    public String proto() {
        return proto;
    }

    /** Returns the formats (payload types for RTP) in preference order. */
    public List<String> formats() {
        return formats;
    }

    /** Returns the lines after the m-line. */
    public List<SessionDescription.Line> lines() {
        return lines;
    }

    /** Returns the value of the first {@code a=name:value} (or "" for a flag), or null. */
    public String attribute(String name) {
        return SessionDescription.attribute(lines, name);
    }

    /** Returns the values of every {@code a=name:...}. */
    public List<String> attributes(String name) {
        return SessionDescription.attributes(lines, name);
    }

    /**
     * Returns the direction attribute (RFC 8866 section 6.7): {@code sendrecv}, {@code sendonly},
     * {@code recvonly} or {@code inactive}; {@code sendrecv} when absent.
     */
    public String direction() {
        for (String d : List.of("sendrecv", "sendonly", "recvonly", "inactive")) {
            if (attribute(d) != null) {
                return d;
            }
        }
        return "sendrecv";
    }

    /** Returns {@code a=rtpmap} of a payload type (e.g. {@code H264/90000}), or null. */
    public String rtpmap(String pt) {
        return prefixed("rtpmap", pt);
    }

    /** Returns {@code a=fmtp} parameters of a payload type, or null. */
    public String fmtp(String pt) {
        return prefixed("fmtp", pt);
    }

    /** Returns every {@code a=rtcp-fb} value of a payload type. */
    public List<String> rtcpFeedback(String pt) {
        List<String> out = new ArrayList<>();
        for (String v : attributes("rtcp-fb")) {
            if (v.startsWith(pt + " ")) {
                out.add(v.substring(pt.length() + 1));
            }
        }
        return out;
    }

    private String prefixed(String name, String pt) {
        for (String v : attributes(name)) {
            if (v.startsWith(pt + " ")) {
                return v.substring(pt.length() + 1);
            }
        }
        return null;
    }
}

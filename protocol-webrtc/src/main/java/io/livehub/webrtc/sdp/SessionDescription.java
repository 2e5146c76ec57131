package io.livehub.webrtc.sdp;

import io.livehub.media.MalformedMediaException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed session description (RFC 8866): the session-level lines and the m-sections, each
 * kept as typed lines in order, so that nothing the parser does not interpret is lost.
 *
 * <p>Parsing is strict about structure (every line is {@code <letter>=<value>}, the body and
 * its lines and sections stay inside {@link SdpLimits}) and lenient about content: unknown
 * attributes are kept, not refused.
 *
 * <p>Thread-safety: immutable.
 */
public final class SessionDescription {

    /** One {@code <type>=<value>} line. */
    public record Line(char type, String value) {
        @Override
        public String toString() {
            return type + "=" + value;
        }
    }

    private final List<Line> sessionLines;
    private final List<MediaDescription> media;

    private SessionDescription(List<Line> sessionLines, List<MediaDescription> media) {
        this.sessionLines = List.copyOf(sessionLines);
        this.media = List.copyOf(media);
    }

    /**
     * Parses an SDP body.
     *
     * @throws MalformedMediaException when it breaks RFC 8866's line structure or a limit
     */
    public static SessionDescription parse(String sdp, SdpLimits limits) {
        if (sdp.length() > limits.maxBytes()) {
            throw new MalformedMediaException("SDP of " + sdp.length() + " characters is over the limit of "
                    + limits.maxBytes());
        }
        List<Line> session = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        List<Line> current = session;
        String[] m = null;
        int lineCount = 0;
        int start = 0;
        while (start < sdp.length()) {
            int end = sdp.indexOf('\n', start);
            if (end < 0) {
                end = sdp.length();
            }
            String line = sdp.substring(start, end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (++lineCount > limits.maxLines()) {
                throw new MalformedMediaException("SDP has more than " + limits.maxLines() + " lines");
            }
            if (line.length() > limits.maxLineBytes()) {
                throw new MalformedMediaException("SDP line of " + line.length() + " characters");
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new MalformedMediaException("SDP line is not <letter>=<value>: "
                        + line.substring(0, Math.min(line.length(), 40)));
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                if (m != null) {
                    media.add(media(m, current));
                }
                if (media.size() == limits.maxMedia()) {
                    throw new MalformedMediaException("SDP has more than " + limits.maxMedia() + " m-sections");
                }
                m = value.split(" ");
                if (m.length < 3) {
                    throw new MalformedMediaException("SDP m-line without media, port and proto: " + value);
                }
                current = new ArrayList<>();
            } else {
                current.add(new Line(type, value));
            }
        }
        if (m != null) {
            media.add(media(m, current));
        }
        if (session.isEmpty() || session.get(0).type() != 'v' || !"0".equals(session.get(0).value())) {
            throw new MalformedMediaException("SDP does not start with v=0");
        }
        return new SessionDescription(session, media);
    }

    private static MediaDescription media(String[] m, List<Line> lines) {
        int port;
        try {
            String p = m[1];
            int slash = p.indexOf('/');
            port = Integer.parseInt(slash < 0 ? p : p.substring(0, slash));
        } catch (NumberFormatException e) {
            throw new MalformedMediaException("SDP m-line port is not a number: " + m[1]);
        }
        if (port < 0 || port > 65535) {
            throw new MalformedMediaException("SDP m-line port " + port);
        }
        List<String> formats = new ArrayList<>();
        for (int i = 3; i < m.length; i++) {
            if (!m[i].isEmpty()) {
                formats.add(m[i]);
            }
        }
        return new MediaDescription(m[0], port, m[2], formats, lines);
    }

    public List<Line> sessionLines() {
        return sessionLines;
    }

    public List<MediaDescription> media() {
        return media;
    }

    /** Returns a session-level attribute's first value ("" for a flag), or null. */
    public String attribute(String name) {
        return attribute(sessionLines, name);
    }

    /**
     * Returns an attribute from the session level or else from the first m-section that has
     * it: ICE and DTLS attributes may be at either level (RFC 8839 section 5.4, RFC 8842).
     */
    public String sessionOrMediaAttribute(String name) {
        String v = attribute(name);
        for (int i = 0; v == null && i < media.size(); i++) {
            v = media.get(i).attribute(name);
        }
        return v;
    }

    static String attribute(List<Line> lines, String name) {
        for (Line l : lines) {
            String v = attributeValue(l, name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    static List<String> attributes(List<Line> lines, String name) {
        List<String> out = new ArrayList<>();
        for (Line l : lines) {
            String v = attributeValue(l, name);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private static String attributeValue(Line l, String name) {
        if (l.type() != 'a' || !l.value().startsWith(name)) {
            return null;
        }
        String v = l.value();
        if (v.length() == name.length()) {
            return "";
        }
        return v.charAt(name.length()) == ':' ? v.substring(name.length() + 1) : null;
    }

    /** Returns the description as SDP text with CRLF line ends (RFC 8866 section 5). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Line l : sessionLines) {
            b.append(l).append("\r\n");
        }
        for (MediaDescription md : media) {
            b.append("m=").append(md.media()).append(' ').append(md.port()).append(' ').append(md.proto());
            for (String f : md.formats()) {
                b.append(' ').append(f);
            }
            b.append("\r\n");
            for (Line l : md.lines()) {
                b.append(l).append("\r\n");
            }
        }
        return b.toString();
    }
}

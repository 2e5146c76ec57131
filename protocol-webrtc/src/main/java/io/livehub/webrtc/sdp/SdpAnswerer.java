package io.livehub.webrtc.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Answers a browser's WHEP offer (RFC 8829 section 5.3) as an ICE-lite (RFC 8445 section
 * 2.5), DTLS-passive (RFC 5763 section 5) sender of H.264 and, when the stream has it, Opus;
 * or, for WHIP ({@link Options#ingest()}), as the receiver of the browser's H.264 and Opus.
 *
 * <p>The answer always has {@code a=ice-lite}, {@code a=setup:passive} (the offerer is the
 * DTLS client; an offer with {@code setup:passive} is refused), one BUNDLE group
 * (RFC 9143) and {@code a=rtcp-mux}. Each accepted m-section is {@code sendonly} with one
 * SSRC and an {@code a=msid}; m-sections that are not accepted get port 0 and leave the
 * BUNDLE group. No header extensions are answered: none is implemented yet.
 *
 * <p>Video: an offered H.264 payload type with {@code packetization-mode=1} is chosen, the
 * first whose profile is the stream's own (when known); else Constrained Baseline
 * {@code 42e01f}; else the first with packetization mode 1. The answer repeats that payload
 * type's {@code profile-level-id}, as RFC 6184 section 8.2.2 asks. Browsers decode the
 * stream's actual profile whatever was negotiated, so a High stream still plays when only
 * Baseline and Main were offered.
 *
 * <p>Thread-safety: stateless.
 */
public final class SdpAnswerer {

    private SdpAnswerer() {
    }

    /**
     * What the server brings to the answer.
     *
     * @param iceUfrag       this side's ice-ufrag (RFC 8839 section 5.4: 4 to 256 ice-chars)
     * @param icePwd         this side's ice-pwd (22 to 256 ice-chars)
     * @param fingerprint    the SHA-256 fingerprint of this side's DTLS certificate
     * @param candidates     the host candidates, all on the one shared UDP port
     * @param videoSsrc      the SSRC of the video this side sends
     * @param audioSsrc      the SSRC of the audio this side sends
     * @param cname          the RTCP CNAME (RFC 7022)
     * @param streamProfile  the stream's H.264 profile, or null when not known yet
     * @param audio          whether Opus audio may be sent (false for an AAC source)
     * @param ingest         whether this is a WHIP answer: the offerer sends ({@code sendonly}
     *                       m-sections are taken, answered {@code recvonly}, without SSRCs)
     */
    public record Options(String iceUfrag, String icePwd, byte[] fingerprint, List<InetSocketAddress> candidates,
                          int videoSsrc, int audioSsrc, String cname, H264ProfileLevelId streamProfile,
                          boolean audio, boolean ingest) {

        /** Options for a WHEP (playback) answer. */
        public Options(String iceUfrag, String icePwd, byte[] fingerprint, List<InetSocketAddress> candidates,
                       int videoSsrc, int audioSsrc, String cname, H264ProfileLevelId streamProfile, boolean audio) {
            this(iceUfrag, icePwd, fingerprint, candidates, videoSsrc, audioSsrc, cname, streamProfile, audio, false);
        }
    }

    /**
     * Answers {@code offer}.
     *
     * @throws SdpNegotiationException when the offer cannot be answered
     */
    public static SdpAnswer answer(SessionDescription offer, Options o) {
        String ufrag = offer.sessionOrMediaAttribute("ice-ufrag");
        String pwd = offer.sessionOrMediaAttribute("ice-pwd");
        if (ufrag == null || pwd == null || ufrag.isEmpty() || pwd.isEmpty()) {
            throw new SdpNegotiationException("the offer has no ice-ufrag and ice-pwd");
        }
        String setup = offer.sessionOrMediaAttribute("setup");
        if ("passive".equals(setup)) {
            throw new SdpNegotiationException("the offer asks for setup:passive; this server is the DTLS server only");
        }
        String fp = offer.sessionOrMediaAttribute("fingerprint");
        if (fp == null || fp.indexOf(' ') < 0) {
            throw new SdpNegotiationException("the offer has no a=fingerprint");
        }
        String algorithm = fp.substring(0, fp.indexOf(' ')).trim().toUpperCase(Locale.ROOT);
        if (!List.of("SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(algorithm)) {
            throw new SdpNegotiationException("unsupported fingerprint hash " + algorithm);
        }
        byte[] remoteFingerprint;
        try {
            remoteFingerprint = HexFormat.of().parseHex(fp.substring(fp.indexOf(' ') + 1).trim().replace(":", ""));
        } catch (IllegalArgumentException e) {
            throw new SdpNegotiationException("the offer's fingerprint is not hex");
        }

        int videoPt = -1;
        H264ProfileLevelId videoProfile = null;
        int audioPt = -1;
        List<String> bundle = new ArrayList<>();
        StringBuilder media = new StringBuilder();
        String candidates = candidateLines(o.candidates());
        String transport = "a=ice-ufrag:" + o.iceUfrag() + "\r\n"
                + "a=ice-pwd:" + o.icePwd() + "\r\n"
                + "a=ice-options:ice2\r\n"
                + "a=fingerprint:sha-256 " + colonHex(o.fingerprint()) + "\r\n"
                + "a=setup:passive\r\n";
        int index = 0;
        for (MediaDescription m : offer.media()) {
            String mid = m.attribute("mid");
            if (mid == null) {
                mid = String.valueOf(index);
            }
            index++;
            String pt = null;
            String codecLines = null;
            String kind = m.media();
            String wanted = o.ingest() ? "sendonly" : "recvonly";
            boolean wantsToReceive = m.direction().equals(wanted) || m.direction().equals("sendrecv");
            if (kind.equals("video") && videoPt < 0 && wantsToReceive && m.port() != 0) {
                pt = chooseH264(m, o.streamProfile());
                if (pt != null) {
                    String fmtp = m.fmtp(pt);
                    videoProfile = H264ProfileLevelId.parse(param(fmtp, "profile-level-id"));
                    if (videoProfile == null) {
                        videoProfile = new H264ProfileLevelId(66, 0xE0, 31); // RFC 6184's default is 420010
                    }
                    videoPt = Integer.parseInt(pt);
                    codecLines = "a=rtpmap:" + pt + " H264/90000\r\n"
                            + "a=rtcp-fb:" + pt + " nack\r\n"
                            + "a=rtcp-fb:" + pt + " nack pli\r\n"
                            + "a=rtcp-fb:" + pt + " ccm fir\r\n"
                            + "a=fmtp:" + pt + " level-asymmetry-allowed=1;packetization-mode=1;profile-level-id="
                            + videoProfile + "\r\n";
                }
            } else if (kind.equals("audio") && audioPt < 0 && o.audio() && wantsToReceive && m.port() != 0) {
                pt = chooseOpus(m);
                if (pt != null) {
                    audioPt = Integer.parseInt(pt);
                    codecLines = "a=rtpmap:" + pt + " opus/48000/2\r\n"
                            + "a=fmtp:" + pt + " minptime=10;useinbandfec=1\r\n";
                }
            }
            if (pt == null) {
                // Rejected (RFC 8829 section 5.3.1): port 0, leaves the BUNDLE group.
                String first = m.formats().isEmpty() ? "0" : m.formats().get(0);
                media.append("m=").append(kind).append(" 0 ").append(m.proto()).append(' ').append(first).append("\r\n")
                        .append("c=IN IP4 0.0.0.0\r\n")
                        .append("a=mid:").append(mid).append("\r\n")
                        .append("a=inactive\r\n");
                continue;
            }
            bundle.add(mid);
            int ssrc = kind.equals("video") ? o.videoSsrc() : o.audioSsrc();
            String track = o.cname() + "-" + kind;
            media.append("m=").append(kind).append(" 9 UDP/TLS/RTP/SAVPF ").append(pt).append("\r\n")
                    .append("c=IN IP4 0.0.0.0\r\n")
                    .append("a=rtcp:9 IN IP4 0.0.0.0\r\n")
                    .append(transport)
                    .append("a=mid:").append(mid).append("\r\n")
                    .append(o.ingest() ? "a=recvonly\r\n" : "a=sendonly\r\n")
                    .append("a=rtcp-mux\r\n")
                    .append(m.attribute("rtcp-rsize") != null ? "a=rtcp-rsize\r\n" : "")
                    .append(codecLines);
            if (!o.ingest()) {
                media.append("a=msid:").append(o.cname()).append(' ').append(track).append("\r\n")
                        .append("a=ssrc:").append(Integer.toUnsignedString(ssrc)).append(" cname:").append(o.cname())
                        .append("\r\n")
                        .append("a=ssrc:").append(Integer.toUnsignedString(ssrc)).append(" msid:").append(o.cname())
                        .append(' ').append(track).append("\r\n");
            }
            media.append(candidates)
                    .append("a=end-of-candidates\r\n");
        }
        if (videoPt < 0) {
            throw new SdpNegotiationException("the offer has no " + (o.ingest() ? "sendable" : "receivable")
                    + " H.264 with packetization-mode=1");
        }
        StringBuilder sdp = new StringBuilder()
                .append("v=0\r\n")
                .append("o=- ").append(Integer.toUnsignedString(o.videoSsrc())).append(" 2 IN IP4 127.0.0.1\r\n")
                .append("s=-\r\n")
                .append("t=0 0\r\n")
                .append("a=group:BUNDLE ").append(String.join(" ", bundle)).append("\r\n")
                .append("a=ice-lite\r\n")
                .append("a=msid-semantic: WMS ").append(o.cname()).append("\r\n")
                .append(media);
        return new SdpAnswer(sdp.toString(), ufrag, pwd, algorithm, remoteFingerprint, videoPt, videoProfile, audioPt);
    }

    private static String chooseH264(MediaDescription m, H264ProfileLevelId stream) {
        List<String> candidates = new ArrayList<>();
        for (String pt : m.formats()) {
            String map = m.rtpmap(pt);
            if (map != null && map.toUpperCase(Locale.ROOT).startsWith("H264/90000")
                    && "1".equals(param(m.fmtp(pt), "packetization-mode")) && isPayloadType(pt)) {
                candidates.add(pt);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        if (stream != null) {
            for (String pt : candidates) {
                H264ProfileLevelId p = H264ProfileLevelId.parse(param(m.fmtp(pt), "profile-level-id"));
                if (p != null && p.profileName().equals(stream.profileName())) {
                    return pt;
                }
            }
        }
        for (String pt : candidates) {
            if ("42e01f".equalsIgnoreCase(param(m.fmtp(pt), "profile-level-id"))) {
                return pt;
            }
        }
        return candidates.get(0);
    }

    private static String chooseOpus(MediaDescription m) {
        for (String pt : m.formats()) {
            String map = m.rtpmap(pt);
            if (map != null && map.toLowerCase(Locale.ROOT).startsWith("opus/48000") && isPayloadType(pt)) {
                return pt;
            }
        }
        return null;
    }

    private static boolean isPayloadType(String pt) {
        try {
            int v = Integer.parseInt(pt);
            return v >= 0 && v <= 127;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Returns one {@code key=value} of an fmtp parameter list, or null. */
    static String param(String fmtp, String key) {
        if (fmtp == null) {
            return null;
        }
        for (String kv : fmtp.split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).trim().equalsIgnoreCase(key)) {
                return kv.substring(eq + 1).trim();
            }
        }
        return null;
    }

    private static String candidateLines(List<InetSocketAddress> candidates) {
        StringBuilder b = new StringBuilder();
        int foundation = 1;
        int n = candidates.size();
        for (InetSocketAddress c : candidates) {
            // RFC 8445 section 5.1.2.1 with type preference 126 (host) and local preference
            // falling with the candidate's place in the list.
            long priority = (126L << 24) | ((long) (65535 - (foundation - 1)) << 8) | 255;
            b.append("a=candidate:").append(foundation).append(" 1 udp ").append(priority).append(' ')
                    .append(c.getAddress().getHostAddress()).append(' ').append(c.getPort())
                    .append(" typ host generation 0\r\n");
            foundation++;
        }
        return n == 0 ? "" : b.toString();
    }

    /** Formats bytes as upper-case hex pairs joined by colons (RFC 8122 section 5). */
    public static String colonHex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                b.append(':');
            }
            b.append(String.format(Locale.ROOT, "%02X", bytes[i] & 0xFF));
        }
        return b.toString();
    }
}

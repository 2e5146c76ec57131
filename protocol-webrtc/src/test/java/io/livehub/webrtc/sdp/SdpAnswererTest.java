package io.livehub.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MalformedMediaException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parses and answers a real offer: {@code chromium-156-whep-offer.sdp} was made by headless
 * Chromium 156 with two recvonly transceivers (video, audio), as a WHEP player does.
 */
class SdpAnswererTest {

    static String resource(String name) throws IOException {
        try (InputStream in = SdpAnswererTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static SdpAnswerer.Options options(H264ProfileLevelId profile, boolean audio) {
        byte[] fp = new byte[32];
        for (int i = 0; i < fp.length; i++) {
            fp[i] = (byte) i;
        }
        return new SdpAnswerer.Options("lhub", "0123456789abcdefghijkl", fp,
                List.of(new InetSocketAddress("127.0.0.1", 8000)), 0x11111111, 0x22222222, "livehub", profile, audio);
    }

    @Test
    void parsesTheChromiumOffer() throws IOException {
        SessionDescription offer = SessionDescription.parse(resource("chromium-156-whep-offer.sdp"), SdpLimits.DEFAULT);
        assertEquals(2, offer.media().size());
        MediaDescription video = offer.media().get(0);
        assertEquals("video", video.media());
        assertEquals("UDP/TLS/RTP/SAVPF", video.proto());
        assertEquals("recvonly", video.direction());
        assertEquals("0", video.attribute("mid"));
        assertEquals("H264/90000", video.rtpmap("108"));
        assertEquals("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", video.fmtp("108"));
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), video.rtcpFeedback("108"));
        assertEquals("actpass", offer.sessionOrMediaAttribute("setup"));
        assertEquals("GByD", offer.sessionOrMediaAttribute("ice-ufrag"));
        assertEquals("0 1", offer.attribute("group").substring("BUNDLE ".length()));
        // The text form parses to the same thing.
        SessionDescription again = SessionDescription.parse(offer.toString(), SdpLimits.DEFAULT);
        assertEquals(offer.toString(), again.toString());
    }

    @Test
    void answersWithTheStreamsOwnProfileAndOpus() throws IOException {
        SessionDescription offer = SessionDescription.parse(resource("chromium-156-whep-offer.sdp"), SdpLimits.DEFAULT);
        // x264 "-profile:v baseline" writes 42c0xx: Constrained Baseline.
        SdpAnswer a = SdpAnswerer.answer(offer, options(new H264ProfileLevelId(66, 0xC0, 13), true));
        assertEquals(108, a.videoPayloadType());
        assertEquals("42e01f", a.videoProfile().toString());
        assertEquals(111, a.audioPayloadType());
        assertEquals("GByD", a.remoteUfrag());
        assertEquals("Btod9Nqen8ZWuQK8SACO5ILJ", a.remotePwd());
        assertEquals("SHA-256", a.remoteFingerprintAlgorithm());
        assertEquals(32, a.remoteFingerprint().length);
        assertEquals(0x29, a.remoteFingerprint()[0] & 0xFF);

        SessionDescription answer = SessionDescription.parse(a.sdp(), SdpLimits.DEFAULT);
        assertEquals("BUNDLE 0 1", answer.attribute("group"));
        assertEquals("", answer.attribute("ice-lite"));
        MediaDescription video = answer.media().get(0);
        assertEquals(List.of("108"), video.formats());
        assertEquals("sendonly", video.direction());
        assertEquals("passive", video.attribute("setup"));
        assertEquals("", video.attribute("rtcp-mux"));
        assertEquals("lhub", video.attribute("ice-ufrag"));
        assertEquals("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", video.fmtp("108"));
        assertTrue(video.attribute("fingerprint").startsWith("sha-256 00:01:02:03:"), video.attribute("fingerprint"));
        assertEquals("1 1 udp 2130706431 127.0.0.1 8000 typ host generation 0", video.attribute("candidate"));
        assertEquals(List.of("286331153 cname:livehub", "286331153 msid:livehub livehub-video"),
                video.attributes("ssrc"));
        assertTrue(video.attributes("extmap").isEmpty(), "no header extension is implemented");
        MediaDescription audio = answer.media().get(1);
        assertEquals(List.of("111"), audio.formats());
        assertEquals("opus/48000/2", audio.rtpmap("111"));
        assertEquals(SessionDescription.parse(answer.toString(), SdpLimits.DEFAULT).toString(), answer.toString());
    }

    @Test
    void choosesMainForAMainStreamAndBaselineWhenUnknown() throws IOException {
        SessionDescription offer = SessionDescription.parse(resource("chromium-156-whep-offer.sdp"), SdpLimits.DEFAULT);
        assertEquals(116, SdpAnswerer.answer(offer, options(new H264ProfileLevelId(77, 0x40, 31), true))
                .videoPayloadType());
        assertEquals(108, SdpAnswerer.answer(offer, options(null, true)).videoPayloadType());
        // High is not offered by this Chromium: Constrained Baseline is answered, the decoder copes.
        assertEquals(108, SdpAnswerer.answer(offer, options(new H264ProfileLevelId(100, 0, 40), true))
                .videoPayloadType());
    }

    @Test
    void answersAWhipOfferAsTheReceiver() throws IOException {
        // chromium-156-whip-offer.sdp: a canvas and a WebAudio tone, sendonly, audio first.
        SessionDescription offer = SessionDescription.parse(resource("chromium-156-whip-offer.sdp"), SdpLimits.DEFAULT);
        SdpAnswerer.Options o = options(null, true);
        SdpAnswer a = SdpAnswerer.answer(offer, new SdpAnswerer.Options(o.iceUfrag(), o.icePwd(), o.fingerprint(),
                o.candidates(), o.videoSsrc(), o.audioSsrc(), o.cname(), null, true, true));
        assertEquals(108, a.videoPayloadType(), "42e01f with packetization mode 1");
        assertEquals(111, a.audioPayloadType());
        SessionDescription answer = SessionDescription.parse(a.sdp(), SdpLimits.DEFAULT);
        assertEquals("BUNDLE 0 1", answer.attribute("group"));
        assertEquals("audio", answer.media().get(0).media());
        for (MediaDescription m : answer.media()) {
            assertEquals("recvonly", m.direction());
            assertTrue(m.attributes("ssrc").isEmpty(), "a receiver announces no SSRC");
        }
        // The same offer cannot be answered for playback: nothing in it receives.
        assertThrows(SdpNegotiationException.class, () -> SdpAnswerer.answer(offer, options(null, true)));
    }

    @Test
    void rejectsAudioForAnAacSource() throws IOException {
        SessionDescription offer = SessionDescription.parse(resource("chromium-156-whep-offer.sdp"), SdpLimits.DEFAULT);
        SdpAnswer a = SdpAnswerer.answer(offer, options(null, false));
        assertEquals(-1, a.audioPayloadType());
        SessionDescription answer = SessionDescription.parse(a.sdp(), SdpLimits.DEFAULT);
        assertEquals("BUNDLE 0", answer.attribute("group"));
        assertEquals(0, answer.media().get(1).port());
        assertEquals("inactive", answer.media().get(1).direction());
    }

    @Test
    void refusesWhatItCannotAnswer() throws IOException {
        String offer = resource("chromium-156-whep-offer.sdp");
        assertThrows(SdpNegotiationException.class, () -> SdpAnswerer.answer(
                SessionDescription.parse(offer.replace("a=setup:actpass", "a=setup:passive"), SdpLimits.DEFAULT),
                options(null, true)));
        assertThrows(SdpNegotiationException.class, () -> SdpAnswerer.answer(
                SessionDescription.parse(offer.replace("packetization-mode=1", "packetization-mode=0"),
                        SdpLimits.DEFAULT), options(null, true)));
        assertThrows(SdpNegotiationException.class, () -> SdpAnswerer.answer(
                SessionDescription.parse(offer.replace("a=ice-pwd:", "a=x-ice-pwd:"), SdpLimits.DEFAULT),
                options(null, true)));
    }

    @Test
    void enforcesTheLimits() throws IOException {
        String offer = resource("chromium-156-whep-offer.sdp");
        assertThrows(MalformedMediaException.class,
                () -> SessionDescription.parse(offer, new SdpLimits(1000, 2000, 16, 4096)));
        assertThrows(MalformedMediaException.class,
                () -> SessionDescription.parse(offer, new SdpLimits(65536, 100, 16, 4096)));
        assertThrows(MalformedMediaException.class,
                () -> SessionDescription.parse(offer, new SdpLimits(65536, 2000, 1, 4096)));
        assertThrows(MalformedMediaException.class,
                () -> SessionDescription.parse(offer, new SdpLimits(65536, 2000, 16, 60)));
        assertThrows(MalformedMediaException.class, () -> SessionDescription.parse("v=0\r\nbad line\r\n",
                SdpLimits.DEFAULT));
        assertThrows(MalformedMediaException.class, () -> SessionDescription.parse("o=- 1 1 IN IP4 0.0.0.0\r\n",
                SdpLimits.DEFAULT));
        assertThrows(MalformedMediaException.class, () -> SessionDescription.parse("v=0\r\nm=video x UDP\r\n",
                SdpLimits.DEFAULT));
    }
}

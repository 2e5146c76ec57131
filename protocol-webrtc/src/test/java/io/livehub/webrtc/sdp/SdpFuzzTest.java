package io.livehub.webrtc.sdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.media.MalformedMediaException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes what WHEP reads from a POST body: {@link SessionDescription#parse} and
 * {@link SdpAnswerer#answer}. Only {@link MalformedMediaException} and
 * {@link SdpNegotiationException} may escape; an answer always parses again.
 *
 * <p>Seeds live in {@code SdpFuzzTestInputs/parse/} and run as regression tests in a plain
 * {@code mvn test}; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class SdpFuzzTest {

    private static final SdpAnswerer.Options OPTIONS = new SdpAnswerer.Options("lhub", "0123456789abcdefghijkl",
            new byte[32], List.of(new InetSocketAddress("127.0.0.1", 8000)), 1, 2, "livehub", null, true);

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] body) {
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(new String(body, StandardCharsets.UTF_8), SdpLimits.DEFAULT);
        } catch (MalformedMediaException expected) {
            return;
        }
        SdpAnswer answer;
        try {
            answer = SdpAnswerer.answer(offer, OPTIONS);
        } catch (SdpNegotiationException expected) {
            return;
        }
        SessionDescription.parse(answer.sdp(), SdpLimits.DEFAULT);
    }
}

package io.livehub.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.webrtc.sdp.SdpLimits;
import io.livehub.webrtc.sdp.SessionDescription;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The module's start and stop: candidates, the reported port, and a start that fails. */
class WebRtcModuleTest {

    private static String offer() throws Exception {
        try (InputStream in = WebRtcModuleTest.class.getResourceAsStream("sdp/chromium-156-whep-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> candidates(MediaServer server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port("http") + "/live/x/whep"))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return SessionDescription.parse(r.body(), SdpLimits.DEFAULT).media().get(0).attributes("candidate");
    }

    @Test
    void announcesTheInterfaceAddressesIncludingLoopbackByDefault() throws Exception {
        try (MediaServer server = MediaServer.builder().httpPort(0)
                .module(WebRtcModule.builder().rtcPort(0).build()).start()) {
            List<String> c = candidates(server);
            String port = String.valueOf(server.port("webrtc"));
            assertTrue(c.stream().anyMatch(l -> l.contains(" 127.0.0.1 " + port + " typ host")), c.toString());
            assertTrue(c.stream().allMatch(l -> l.contains(" " + port + " typ host")), c.toString());
            assertTrue(c.stream().noneMatch(l -> l.contains(":")), "IPv4 only on a 0.0.0.0 socket: " + c);
        }
    }

    @Test
    void announcesTheConfiguredCandidates() throws Exception {
        try (MediaServer server = MediaServer.builder().httpPort(0)
                .module(WebRtcModule.builder().rtcPort(0).candidates(List.of(InetAddress.getByName("192.0.2.7")))
                        .build()).start()) {
            List<String> c = candidates(server);
            assertEquals(List.of("1 1 udp 2130706431 192.0.2.7 " + server.port("webrtc") + " typ host generation 0"),
                    c);
        }
    }

    @Test
    void aStartThatCannotBindFailsAndLeavesNothingBehind() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            WebRtcModule module = WebRtcModule.builder().host("127.0.0.1").rtcPort(taken.getLocalPort()).build();
            assertThrows(Exception.class, () -> MediaServer.builder().httpPort(0).module(module).start());
            assertEquals(0, module.sessionCount());
        }
        // The same module configuration starts once the port is free.
        try (MediaServer server = MediaServer.builder().httpPort(0)
                .module(WebRtcModule.builder().host("127.0.0.1").rtcPort(0).build()).start()) {
            assertTrue(server.port("webrtc") > 0);
        }
    }

    @Test
    void validatesItsConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> WebRtcConfig.builder().nackBufferPackets(500));
        assertThrows(IllegalArgumentException.class, () -> WebRtcConfig.builder().mtu(100));
        assertThrows(IllegalArgumentException.class, () -> WebRtcConfig.builder().rtcPort(70_000));
        assertThrows(IllegalArgumentException.class, () -> WebRtcConfig.builder().handshakeThreads(0));
        WebRtcConfig c = WebRtcConfig.builder().build();
        assertEquals(8000, c.rtcPort());
        assertEquals(1200, c.mtu());
        assertEquals(SdpLimits.DEFAULT, c.sdpLimits());
    }
}

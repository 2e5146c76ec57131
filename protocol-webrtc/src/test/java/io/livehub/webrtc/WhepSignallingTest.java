package io.livehub.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.CloseEvent;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.testing.Await;
import io.livehub.webrtc.sdp.SdpLimits;
import io.livehub.webrtc.sdp.SessionDescription;
import io.livehub.webrtc.stun.StunAttribute;
import io.livehub.webrtc.stun.StunDecoder;
import io.livehub.webrtc.stun.StunEncoder;
import io.livehub.webrtc.stun.StunMessage;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WHEP over real HTTP and ICE over real UDP, without a browser: the answer and its headers,
 * every refusal with its status, DELETE and PATCH on the session resource, and the STUN
 * Binding exchange an ICE-lite server owes a browser (RFC 8445 section 7.3).
 */
class WhepSignallingTest {

    private static final byte[] BROWSER_TX = HexFormat.of().parseHex("0102030405060708090a0b0c");

    private MediaServer server;
    private String http;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<PlayEvent> plays = new CopyOnWriteArrayList<>();
    private final List<CloseEvent> closes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        MediaServerListener listener = new MediaServerListener() {
            @Override
            public CompletionStage<Decision> onPlay(PlayEvent event) {
                plays.add(event);
                return event.stream().name().equals("secret") ? Decision.denyStage("no") : Decision.allowStage();
            }

            @Override
            public CompletionStage<Decision> onPublish(io.livehub.event.PublishEvent event) {
                return event.stream().name().equals("secret") ? Decision.denyStage("not you") : Decision.allowStage();
            }

            @Override
            public void onClose(CloseEvent event) {
                closes.add(event);
            }
        };
        server = MediaServer.builder().httpPort(0).listener(listener)
                .module(WebRtcModule.builder().host("127.0.0.1").rtcPort(0)
                        .sdpLimits(new SdpLimits(8_000, 2_000, 16, 4_096)).maxPendingPerAddress(2).build())
                .start();
        http = "http://127.0.0.1:" + server.port("http");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static String offer() throws IOException {
        try (InputStream in = WhepSignallingTest.class.getResourceAsStream("sdp/chromium-156-whep-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HttpResponse<String> post(String path, String type, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAnOfferAndEndsTheSessionOnDelete() throws Exception {
        HttpResponse<String> r = post("/live/cam/whep?token=t1", "application/sdp", offer());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("application/sdp", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/rtc/v1/whep/session/"), location);
        assertTrue(r.headers().firstValue("ETag").isPresent());
        SessionDescription answer = SessionDescription.parse(r.body(), SdpLimits.DEFAULT);
        assertEquals("", answer.attribute("ice-lite"));
        assertEquals("127.0.0.1", answer.media().get(0).attribute("candidate").split(" ")[4]);
        assertEquals(String.valueOf(server.port("webrtc")), answer.media().get(0).attribute("candidate").split(" ")[5]);
        assertEquals(1, plays.size());
        assertEquals("webrtc", plays.get(0).client().protocol());
        assertEquals("t1", plays.get(0).params().get("token"));

        assertEquals(405, send("PATCH", location).statusCode());
        assertEquals(200, send("DELETE", location).statusCode());
        assertEquals(404, send("DELETE", location).statusCode());
        Await.until(() -> closes.size() == 1, 10, "onClose of the deleted session");
        assertEquals("live/cam", closes.get(0).stream().path());
    }

    @Test
    void answersStunChecksSignedWithTheIcePassword() throws Exception {
        HttpResponse<String> r = post("/rtc/v1/whep/?app=live&stream=cam", "application/sdp", offer());
        assertEquals(201, r.statusCode(), r.body());
        SessionDescription answer = SessionDescription.parse(r.body(), SdpLimits.DEFAULT);
        String ufrag = answer.media().get(0).attribute("ice-ufrag");
        byte[] pwd = answer.media().get(0).attribute("ice-pwd").getBytes(StandardCharsets.UTF_8);
        InetSocketAddress ice = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port("webrtc"));
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(10_000);
            // A check with a wrong password gets no answer; the good one that follows does.
            socket.send(check(ufrag, "wrong-password-0123456".getBytes(StandardCharsets.UTF_8),
                    HexFormat.of().parseHex("ffffffffffffffffffffffff"), ice));
            socket.send(check(ufrag, pwd, BROWSER_TX, ice));
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            socket.receive(in);
            StunMessage response = new StunDecoder(1500, 32).decode(
                    Unpooled.wrappedBuffer(in.getData(), 0, in.getLength()));
            assertEquals(StunMessage.BINDING_SUCCESS, response.type());
            assertArrayEquals(BROWSER_TX, response.transactionId());
            assertTrue(StunDecoder.checkIntegrity(response, pwd), "signed with the answer's ice-pwd");
            assertEquals(socket.getLocalSocketAddress(), response.xorMappedAddress());
        }
    }

    private static DatagramPacket check(String ufrag, byte[] pwd, byte[] tx, InetSocketAddress to) {
        StunMessage m = StunMessage.builder(StunMessage.BINDING_REQUEST, tx)
                .add(StunAttribute.USERNAME, (ufrag + ":GByD").getBytes(StandardCharsets.UTF_8))
                .add(StunAttribute.PRIORITY, HexFormat.of().parseHex("6e0001ff"))
                .add(StunAttribute.ICE_CONTROLLING, HexFormat.of().parseHex("0102030405060708"))
                .add(StunAttribute.USE_CANDIDATE, new byte[0])
                .build();
        byte[] b = StunEncoder.encode(m, pwd, true);
        return new DatagramPacket(b, b.length, to);
    }

    @Test
    void answersAWhipOfferWithThePublishDecision() throws Exception {
        String offer;
        try (InputStream in = getClass().getResourceAsStream("sdp/chromium-156-whip-offer.sdp")) {
            offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        HttpResponse<String> r = post("/rtc/v1/whip/?app=live&stream=cam", "application/sdp", offer);
        assertEquals(201, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/rtc/v1/whip/session/"), location);
        assertEquals("recvonly", SessionDescription.parse(r.body(), SdpLimits.DEFAULT).media().get(1).direction());
        assertTrue(plays.isEmpty(), "WHIP asks onPublish, not onPlay");
        HttpResponse<String> denied = post("/live/secret/whip", "application/sdp", offer);
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().startsWith("publish denied: not you"), denied.body());
        // A stream published by someone else is busy for WHIP.
        io.livehub.hub.Publication other = server.hub().publish(io.livehub.media.StreamKey.of("live", "taken"),
                server.transport().workerGroup().next(), "other");
        assertEquals(409, post("/live/taken/whip", "application/sdp", offer).statusCode());
        other.close();
        // A WHIP offer (sendonly) cannot be answered for playback.
        assertEquals(406, post("/live/cam/whep", "application/sdp", offer).statusCode());
        assertEquals(200, send("DELETE", location).statusCode());
    }

    @Test
    void limitsTheUnconnectedSessionsOfOneAddress() throws Exception {
        String offer = offer();
        HttpResponse<String> first = post("/live/cam/whep", "application/sdp", offer);
        assertEquals(201, first.statusCode());
        assertEquals(201, post("/live/cam/whep", "application/sdp", offer).statusCode());
        HttpResponse<String> third = post("/live/cam/whep", "application/sdp", offer);
        assertEquals(503, third.statusCode());
        assertTrue(third.body().contains("unconnected"), third.body());
        assertEquals(200, send("DELETE", first.headers().firstValue("Location").orElseThrow()).statusCode());
        assertEquals(201, post("/live/cam/whep", "application/sdp", offer).statusCode(), "room again after DELETE");
    }

    @Test
    void refusesWhatItCannotServe() throws Exception {
        String offer = offer();
        assertEquals(415, post("/live/cam/whep", "text/plain", offer).statusCode());
        assertEquals(413, post("/live/cam/whep", "application/sdp", offer + "a=x:" + "y".repeat(2_000) + "\r\n")
                .statusCode());
        assertEquals(400, post("/live/cam/whep", "application/sdp", "hello").statusCode());
        assertEquals(400, post("/rtc/v1/whep/?app=live&stream=", "application/sdp", offer).statusCode());
        assertEquals(406, post("/live/cam/whep", "application/sdp",
                offer.replace("packetization-mode=1", "packetization-mode=0")).statusCode());
        assertEquals(405, send("GET", "/live/cam/whep").statusCode());
        HttpResponse<String> denied = post("/live/secret/whep", "application/sdp", offer);
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("no"), denied.body());
        assertEquals(404, send("DELETE", "/rtc/v1/whep/session/nosuch").statusCode());
        assertEquals(404, post("/whep", "application/sdp", offer).statusCode());
        assertEquals(404, post("/a/b/c/whep", "application/sdp", offer).statusCode());
    }
}

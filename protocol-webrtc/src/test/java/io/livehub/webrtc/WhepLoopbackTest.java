package io.livehub.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.event.CloseEvent;
import io.livehub.event.MediaServerListener;
import io.livehub.hub.Publication;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.testing.Await;
import io.livehub.webrtc.dtls.DtlsCertificate;
import io.livehub.webrtc.dtls.TestDtlsClient;
import io.livehub.webrtc.rtp.H264Depacketizer;
import io.livehub.webrtc.rtp.RtpHeader;
import io.livehub.webrtc.sdp.MediaDescription;
import io.livehub.webrtc.sdp.SdpAnswerer;
import io.livehub.webrtc.sdp.SdpLimits;
import io.livehub.webrtc.sdp.SessionDescription;
import io.livehub.webrtc.srtp.SrtpContext;
import io.livehub.webrtc.srtp.SrtpProfile;
import io.livehub.webrtc.stun.StunAttribute;
import io.livehub.webrtc.stun.StunDecoder;
import io.livehub.webrtc.stun.StunEncoder;
import io.livehub.webrtc.stun.StunMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole WHEP path with a Java peer in place of a browser, so it runs everywhere: POST an
 * offer, STUN check, DTLS-SRTP handshake (BouncyCastle client with its own certificate),
 * then H.264 published into the hub arrives as SRTP that decrypts and depacketizes to the
 * same access units (SPS and PPS first); a NACK gets the lost packet again, byte for byte;
 * sender reports come; an RTCP BYE ends the session with onClose.
 */
class WhepLoopbackTest {

    private static final StreamKey KEY = StreamKey.of("live", "loop");
    /** x264's SPS and PPS for 320x240 Constrained Baseline. */
    private static final byte[] SPS = HexFormat.of().parseHex("6742c00dd90141fb011000000300100000030320f142a480");
    private static final byte[] PPS = HexFormat.of().parseHex("68cb83cb20");
    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private MediaServer server;
    private final List<CloseEvent> closes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] accessUnit(int nalHeader, int size, int seed) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(size).writeByte(nalHeader);
        for (int i = 1; i < size; i++) {
            b.writeByte(i * 31 + seed);
        }
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    @Test
    void aJavaPeerReceivesDecryptableH264AndGetsRetransmissions() throws Exception {
        WebRtcModule webrtc = WebRtcModule.builder().host("127.0.0.1").rtcPort(0)
                .rtcpInterval(Duration.ofMillis(200)).build();
        server = MediaServer.builder().httpPort(0).listener(new MediaServerListener() {
            @Override
            public void onClose(CloseEvent event) {
                closes.add(event);
            }
        }).module(webrtc).start();

        DtlsCertificate mine = DtlsCertificate.generate(Duration.ofDays(1));
        String offer;
        try (InputStream in = getClass().getResourceAsStream("sdp/chromium-156-whep-offer.sdp")) {
            offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        offer = offer.replaceAll("a=fingerprint:sha-256 [0-9A-F:]+",
                "a=fingerprint:sha-256 " + SdpAnswerer.colonHex(mine.sha256()));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port("http") + "/live/loop/whep"))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        MediaDescription video = SessionDescription.parse(r.body(), SdpLimits.DEFAULT).media().get(0);
        int pt = Integer.parseInt(video.formats().get(0));
        int ssrc = Integer.parseUnsignedInt(video.attributes("ssrc").get(0).split(" ")[0]);
        byte[] pwd = video.attribute("ice-pwd").getBytes(StandardCharsets.UTF_8);

        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port("webrtc")));
            byte[] check = StunEncoder.encode(StunMessage.builder(StunMessage.BINDING_REQUEST, new byte[12])
                    .add(StunAttribute.USERNAME, (video.attribute("ice-ufrag") + ":GByD").getBytes(StandardCharsets.UTF_8))
                    .add(StunAttribute.USE_CANDIDATE, new byte[0])
                    .build(), pwd, true);
            socket.send(new DatagramPacket(check, check.length));
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            socket.receive(in);
            StunMessage ok = new StunDecoder(1500, 32).decode(Unpooled.wrappedBuffer(in.getData(), 0, in.getLength()));
            assertEquals(StunMessage.BINDING_SUCCESS, ok.type());

            TestDtlsClient dtls = new TestDtlsClient(mine);
            new DTLSClientProtocol().connect(dtls, new UDPTransport(socket, 1500));
            byte[] m = dtls.exported;
            SrtpContext receive = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, Arrays.copyOfRange(m, 16, 32),
                    Arrays.copyOfRange(m, 46, 60), 4);
            SrtpContext send = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, Arrays.copyOfRange(m, 0, 16),
                    Arrays.copyOfRange(m, 32, 46), 4);
            Await.until(() -> webrtc.sessionCount() == 1 && server.hub().stream(KEY) != null
                    && server.hub().stream(KEY).subscriberCount() == 1, 10, "the session to subscribe");

            // Publish an IDR (three FU-A fragments after the STAP-A) and two P frames.
            Track track = Track.builder(CodecId.H264).timebase(Timebase.MILLIS)
                    .config(AvcDecoderConfigurationRecord.of(List.of(SPS), List.of(PPS)).encode()).build();
            List<byte[]> sent = List.of(accessUnit(0x65, 3000, 1), accessUnit(0x41, 700, 2), accessUnit(0x41, 900, 3));
            Publication pub = server.hub().publish(KEY, server.transport().workerGroup().next(), "test");
            for (int i = 0; i < sent.size(); i++) {
                pub.publish(MediaFrame.of(track, i * 40L, i * 40L, i == 0, Unpooled.wrappedBuffer(sent.get(i))));
            }

            List<byte[]> received = new ArrayList<>();
            H264Depacketizer depacketizer = new H264Depacketizer(1 << 20, (au, ts, key) -> received.add(au));
            List<byte[]> srtpPackets = new ArrayList<>();
            int senderReports = 0;
            while (received.size() < sent.size() || senderReports == 0) {
                socket.receive(in);
                ByteBuf d = Unpooled.wrappedBuffer(Arrays.copyOf(in.getData(), in.getLength()));
                if (RtpHeader.isRtcp(d)) {
                    ByteBuf rtcp = receive.unprotectRtcp(d, ALLOC);
                    assertNotNull(rtcp, "SRTCP authenticates");
                    assertEquals(200, rtcp.getUnsignedByte(1), "a sender report");
                    assertEquals(ssrc, rtcp.getInt(4));
                    senderReports++;
                    rtcp.release();
                    continue;
                }
                srtpPackets.add(ByteBufUtil.getBytes(d));
                ByteBuf rtp = receive.unprotectRtp(d, ALLOC);
                assertNotNull(rtp, "SRTP authenticates");
                assertEquals(pt, rtp.getUnsignedByte(1) & 0x7F);
                assertEquals(ssrc, rtp.getInt(8));
                byte[] payload = ByteBufUtil.getBytes(rtp, 12, rtp.readableBytes() - 12);
                depacketizer.packet(rtp.getUnsignedShort(2), rtp.getUnsignedInt(4), (rtp.getByte(1) & 0x80) != 0,
                        payload, 0, payload.length);
                rtp.release();
            }
            ByteBuf firstAu = Unpooled.buffer().writeInt(SPS.length).writeBytes(SPS).writeInt(PPS.length)
                    .writeBytes(PPS).writeBytes(sent.get(0));
            assertArrayEquals(ByteBufUtil.getBytes(firstAu), received.get(0), "SPS and PPS, then the IDR");
            firstAu.release();
            assertArrayEquals(sent.get(1), received.get(1));
            assertArrayEquals(sent.get(2), received.get(2));

            // NACK the second packet (the IDR's first FU-A): the same SRTP packet comes back.
            byte[] lost = srtpPackets.get(1);
            int lostSeq = ((lost[2] & 0xFF) << 8) | (lost[3] & 0xFF);
            ByteBuf nack = Unpooled.buffer().writeByte(0x81).writeByte(205).writeShort(3).writeInt(0x0BADCAFE)
                    .writeInt(ssrc).writeShort(lostSeq).writeShort(0);
            ByteBuf protectedNack = send.protectRtcp(nack, ALLOC);
            socket.send(new DatagramPacket(ByteBufUtil.getBytes(protectedNack), protectedNack.readableBytes()));
            nack.release();
            protectedNack.release();
            byte[] again = null;
            while (again == null) {
                socket.receive(in);
                byte[] d = Arrays.copyOf(in.getData(), in.getLength());
                if (!RtpHeader.isRtcp(Unpooled.wrappedBuffer(d))) {
                    again = d;
                }
            }
            assertArrayEquals(lost, again, "the retransmission is the packet as first sent");

            // BYE ends the session.
            ByteBuf bye = Unpooled.buffer().writeByte(0x81).writeByte(203).writeShort(1).writeInt(0x0BADCAFE);
            ByteBuf protectedBye = send.protectRtcp(bye, ALLOC);
            socket.send(new DatagramPacket(ByteBufUtil.getBytes(protectedBye), protectedBye.readableBytes()));
            bye.release();
            protectedBye.release();
            Await.until(() -> webrtc.sessionCount() == 0 && closes.size() == 1, 10, "the session to close on BYE");
            assertTrue(closes.get(0).sendBytes() > 3000, "bytes sent are counted: " + closes.get(0));
            pub.close();
        }
    }
}

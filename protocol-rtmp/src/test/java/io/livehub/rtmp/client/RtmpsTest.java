package io.livehub.rtmp.client;

import io.livehub.testing.TestCertificates;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishes and plays over RTMPS: a Livehub server with a self-signed certificate made by
 * {@code keytool} for {@code 127.0.0.1}, the client trusting exactly that certificate and
 * checking the host name, and ffmpeg (whose TLS does not verify by default) on the other side in
 * the tests tagged {@code interop}.
 */
class RtmpsTest {

    @TempDir
    static Path certDir;

    @TempDir
    Path dir;

    private static TestCertificates certs;
    private MediaServer server;
    private RtmpClient client;
    private String rtmps;
    private final List<ExternalProcess> processes = new ArrayList<>();

    @BeforeAll
    static void makeCertificate() throws Exception {
        certs = TestCertificates.create(certDir);
    }

    @AfterAll
    static void dropCertificate() {
        certs = null;
    }

    @BeforeEach
    void start() throws Exception {
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).sslContext(certs.server).build())
                .start();
        rtmps = "rtmps://127.0.0.1:" + server.port("rtmps");
        client = RtmpClient.create(RtmpClientConfig.builder().sslContext(certs.client).build());
    }

    @AfterEach
    void stop() throws Exception {
        for (ExternalProcess p : processes) {
            p.close();
        }
        client.close();
        server.close();
    }

    @Test
    void clientPublishesAndPlaysBackOverRtmps() throws Exception {
        FrameCollector got = new FrameCollector();
        RtmpPlaySession player = RtmpClientRoundTripTest.await(client.play(rtmps + "/live/secure", got));
        RtmpPublishSession pub = RtmpClientRoundTripTest.await(client.publish(rtmps + "/live/secure"));
        assertTrue(pub.url().isSecure());
        Track video = SyntheticMedia.h264(SyntheticMedia.AVCC);
        Track audio = SyntheticMedia.aac();
        for (int i = 0; i < 20; i++) {
            boolean key = i % 10 == 0;
            pub.send(SyntheticMedia.frame(video, i * 40L, i * 40L, key, SyntheticMedia.videoPayload(CodecId.H264, i, key)));
            pub.send(SyntheticMedia.frame(audio, i * 40L + 5, i * 40L + 5, true, SyntheticMedia.audioPayload(i)));
        }
        got.await(() -> got.count(CodecId.H264) == 20 && got.count(CodecId.AAC) == 20, 20, "frames over TLS");
        List<FrameCollector.Frame> v = got.frames(CodecId.H264);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(SyntheticMedia.videoPayload(CodecId.H264, i, i % 10 == 0), v.get(i).payload());
            assertEquals(i % 10 == 0, v.get(i).keyframe());
        }
        RtmpClientRoundTripTest.await(pub.close());
        RtmpClientRoundTripTest.await(player.close());
        got.await(() -> got.closed && got.closeCause == null, 10, "closed");
    }

    @Test
    void theDefaultConfigurationRefusesAnUntrustedCertificate() throws Exception {
        try (RtmpClient strict = RtmpClient.create()) {
            Throwable t = RtmpClientRoundTripTest.failure(strict.publish(rtmps + "/live/x"));
            RtmpClientException e = assertInstanceOf(RtmpClientException.class, t);
            assertTrue(e.getMessage().startsWith("TLS"), e.getMessage());
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
        }
        assertTrue(server.hub().stream(StreamKey.of("live", "x")) == null, "nothing was published");
    }

    @Test
    void theServerCertificateMustNameTheHost() throws Exception {
        RtmpClientConfig strict = RtmpClientConfig.builder().sslContext(certs.client).build();
        try (RtmpClient c = RtmpClient.create(strict)) {
            RtmpUrl byName = RtmpUrl.of(true, "localhost", server.port("rtmps"), "live", "byname");
            RtmpClientRoundTripTest.await(RtmpClientRoundTripTest.await(c.publish(byName)).close());
        }

        // A trusted certificate for another host: TLS would succeed without the name check.
        TestCertificates elsewhere = TestCertificates.create(dir, "other.example", "dns:other.example");
        try (MediaServer other = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).sslContext(elsewhere.server).build())
                .start()) {
            String url = "rtmps://127.0.0.1:" + other.port("rtmps") + "/live/x";
            try (RtmpClient c = RtmpClient.create(RtmpClientConfig.builder().sslContext(elsewhere.client).build())) {
                RtmpClientException e = assertInstanceOf(RtmpClientException.class,
                        RtmpClientRoundTripTest.failure(c.publish(url)));
                assertTrue(e.getMessage().startsWith("TLS"), e.getMessage());
            }
            RtmpClientConfig lax = RtmpClientConfig.builder().sslContext(elsewhere.client).hostnameVerification(false)
                    .build();
            try (RtmpClient c = RtmpClient.create(lax)) {
                RtmpClientRoundTripTest.await(RtmpClientRoundTripTest.await(c.publish(url)).close());
            }
        }
    }

    @Test
    @Tag("interop")
    void clientPlaysWhatFfmpegPublishesOverRtmps() throws Exception {
        ExternalProcess publisher = ClientInterop.ffmpegPublish(dir, rtmps + "/live/x", 6);
        processes.add(publisher);
        StreamKey key = StreamKey.of("live", "x");
        RtmpClientInteropTest.await(() -> {
            LiveStream s = server.hub().stream(key);
            return s != null && s.isPublishing() && s.framesIn() >= 25;
        }, 20, "ffmpeg publishing over rtmps");

        FrameCollector got = new FrameCollector();
        RtmpPlaySession player = RtmpClientRoundTripTest.await(client.play(rtmps + "/live/x", got));
        got.await(() -> got.frames.stream().filter(FrameCollector.Frame::isVideo).count() >= 50, 20, "50 video frames");
        ClientInterop.assertPlayedH264Aac(got, 50);
        ExternalProcess.Result r = publisher.await(30);
        assertEquals(0, r.exitCode(), r.describe());
        RtmpClientRoundTripTest.await(player.close());
    }

    @Test
    @Tag("interop")
    void clientPublishesOverRtmpsWhatFfmpegPlaysBackOverRtmps() throws Exception {
        FlvFrames source = FlvFrames.read(ClientInterop.makeFlv(dir));
        List<MediaFrame> frames = source.take();
        Path out = dir.resolve("played.flv");
        ExternalProcess player = ClientInterop.ffmpegRecord(dir, rtmps + "/live/y", out);
        processes.add(player);
        StreamKey key = StreamKey.of("live", "y");
        RtmpClientInteropTest.await(() -> server.hub().stream(key) != null
                && server.hub().stream(key).subscriberCount() == 1, 20, "ffmpeg playing over rtmps");

        RtmpPublishSession pub = RtmpClientRoundTripTest.await(client.publish(rtmps + "/live/y"));
        pub.metadata(source.metadata);
        ClientInterop.sendPaced(pub, frames);
        RtmpClientRoundTripTest.await(pub.close());

        ExternalProcess.Result r = player.await(30);
        assertEquals(0, r.exitCode(), r.describe());
        ClientInterop.assertH264Aac(Ffprobe.of(dir, out), 75);
    }
}

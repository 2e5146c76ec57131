package io.livehub.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.Test;

/**
 * The DTLS-SRTP server against a BouncyCastle DTLS client over two queue transports wired to
 * each other: both sides export the same SRTP keys (RFC 5764 section 4.2), and a client
 * whose certificate is not the one the SDP fingerprint names is refused.
 */
class DtlsSrtpServerTest {

    private static final DtlsCertificate SERVER = DtlsCertificate.generate(Duration.ofDays(1));
    private static final DtlsCertificate CLIENT = DtlsCertificate.generate(Duration.ofDays(1));

    private final java.util.List<String> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private DtlsSrtpServer lastServer;
    private DatagramQueueTransport lastClientTransport;
    private org.bouncycastle.tls.DTLSTransport lastClient;

    private DtlsSrtpKeys handshake(TestDtlsClient client, byte[] expectedClientFingerprint) throws Exception {
        DatagramQueueTransport[] server = new DatagramQueueTransport[1];
        DatagramQueueTransport clientSide = new DatagramQueueTransport(32, 1200, d -> server[0].offer(d));
        server[0] = new DatagramQueueTransport(32, 1200, clientSide::offer);
        DtlsSrtpServer tls = new DtlsSrtpServer(SERVER, "SHA-256", expectedClientFingerprint, 10_000, 16_384,
                alerts::add);
        lastServer = tls;
        lastClientTransport = clientSide;
        CompletableFuture<DtlsSrtpKeys> keys = CompletableFuture.supplyAsync(() -> {
            try {
                return tls.handshake(server[0]);
            } catch (IOException e) {
                clientSide.close(); // so that the client stops waiting too
                throw new RuntimeException(e);
            }
        });
        try {
            lastClient = new DTLSClientProtocol().connect(client, clientSide);
        } catch (IOException clientSawTheFailure) {
            // the server's verdict is what the test looks at
        }
        return keys.get(20, TimeUnit.SECONDS);
    }

    @Test
    void bothSidesExportTheSameSrtpKeys() throws Exception {
        TestDtlsClient client = new TestDtlsClient(CLIENT);
        DtlsSrtpKeys keys = handshake(client, CLIENT.sha256());
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, keys.profile());
        byte[] m = client.exported;
        // client key, server key, client salt, server salt
        assertArrayEquals(Arrays.copyOfRange(m, 0, 16), keys.remoteKey());
        assertArrayEquals(Arrays.copyOfRange(m, 16, 32), keys.localKey());
        assertArrayEquals(Arrays.copyOfRange(m, 32, 46), keys.remoteSalt());
        assertArrayEquals(Arrays.copyOfRange(m, 46, 60), keys.localSalt());
        assertArrayEquals(SERVER.sha256(), MessageDigest.getInstance("SHA-256").digest(client.serverCertificate),
                "the server presents the certificate whose fingerprint goes in the answer");
    }

    @Test
    void tellsWhenThePeerClosesAfterTheHandshake() throws Exception {
        handshake(new TestDtlsClient(CLIENT), CLIENT.sha256());
        lastServer.receive();
        assertEquals(java.util.List.of(), alerts, "nothing received yet");
        lastClient.close(); // sends close_notify
        lastServer.receive();
        assertEquals(java.util.List.of("close_notify"), alerts);
    }

    @Test
    void choosesAesGcmWhenTheClientOffersIt() throws Exception {
        TestDtlsClient client = new TestDtlsClient(CLIENT, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
                SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM);
        DtlsSrtpKeys keys = handshake(client, CLIENT.sha256());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, keys.profile());
        byte[] m = client.exported;
        // RFC 7714 section 12: 16-byte keys, 12-byte salts.
        assertArrayEquals(Arrays.copyOfRange(m, 0, 16), keys.remoteKey());
        assertArrayEquals(Arrays.copyOfRange(m, 16, 32), keys.localKey());
        assertArrayEquals(Arrays.copyOfRange(m, 32, 44), keys.remoteSalt());
        assertArrayEquals(Arrays.copyOfRange(m, 44, 56), keys.localSalt());
    }

    @Test
    void refusesAClientWhoseCertificateIsNotTheOffered() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> handshake(new TestDtlsClient(CLIENT), SERVER.sha256()));
        Throwable alert = e.getCause().getCause();
        assertEquals(org.bouncycastle.tls.TlsFatalAlert.class, alert.getClass(), e.toString());
        assertEquals(org.bouncycastle.tls.AlertDescription.bad_certificate,
                ((org.bouncycastle.tls.TlsFatalAlert) alert).getAlertDescription());
    }
}

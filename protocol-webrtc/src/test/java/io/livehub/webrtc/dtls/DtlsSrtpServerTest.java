package io.livehub.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;

/**
 * The DTLS-SRTP server against a BouncyCastle DTLS client over two queue transports wired to
 * each other: both sides export the same SRTP keys (RFC 5764 section 4.2), and a client
 * whose certificate is not the one the SDP fingerprint names is refused.
 */
class DtlsSrtpServerTest {

    private static final DtlsCertificate SERVER = DtlsCertificate.generate(Duration.ofDays(1));
    private static final DtlsCertificate CLIENT = DtlsCertificate.generate(Duration.ofDays(1));

    /** A browser-like client: DTLS 1.2, use_srtp, a self-signed ECDSA certificate. */
    private static final class Client extends DefaultTlsClient {
        private final DtlsCertificate certificate;
        byte[] exported;
        byte[] serverCertificate;

        Client(DtlsCertificate certificate) {
            super(new BcTlsCrypto(new SecureRandom()));
            this.certificate = certificate;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = super.getClientExtensions();
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(
                    new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, new byte[0]));
            return ext;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate c) throws IOException {
                    serverCertificate = c.getCertificate().getCertificateAt(0).getEncoded();
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    TlsCertificate cert = getCrypto().createCertificate(certificate.der());
                    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context),
                            (BcTlsCrypto) getCrypto(), certificate.privateKey(),
                            new Certificate(new TlsCertificate[] {cert}),
                            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 60);
        }
    }

    private static DtlsSrtpKeys handshake(Client client, byte[] expectedClientFingerprint) throws Exception {
        DatagramQueueTransport[] server = new DatagramQueueTransport[1];
        DatagramQueueTransport clientSide = new DatagramQueueTransport(32, 1200, d -> server[0].offer(d));
        server[0] = new DatagramQueueTransport(32, 1200, clientSide::offer);
        DtlsSrtpServer tls = new DtlsSrtpServer(SERVER, "SHA-256", expectedClientFingerprint, 10_000, 16_384);
        CompletableFuture<DtlsSrtpKeys> keys = CompletableFuture.supplyAsync(() -> {
            try {
                return tls.handshake(server[0]);
            } catch (IOException e) {
                throw new RuntimeException(e);
            } finally {
                clientSide.close();
            }
        });
        try {
            new DTLSClientProtocol().connect(client, clientSide);
        } catch (IOException clientSawTheFailure) {
            // the server's verdict is what the test looks at
        }
        return keys.get(20, TimeUnit.SECONDS);
    }

    @Test
    void bothSidesExportTheSameSrtpKeys() throws Exception {
        Client client = new Client(CLIENT);
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
    void refusesAClientWhoseCertificateIsNotTheOffered() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> handshake(new Client(CLIENT), SERVER.sha256()));
        Throwable alert = e.getCause().getCause();
        assertEquals(org.bouncycastle.tls.TlsFatalAlert.class, alert.getClass(), e.toString());
        assertEquals(org.bouncycastle.tls.AlertDescription.bad_certificate,
                ((org.bouncycastle.tls.TlsFatalAlert) alert).getAlertDescription());
    }
}

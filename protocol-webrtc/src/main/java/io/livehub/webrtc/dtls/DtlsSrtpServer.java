package io.livehub.webrtc.dtls;

import io.livehub.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS 1.2 server side of DTLS-SRTP (RFC 5764) for one peer: ECDHE-ECDSA cipher suites,
 * the {@code use_srtp} extension choosing {@link SrtpProfile#AEAD_AES_128_GCM} (RFC 7714) when
 * the client offers it, else {@link SrtpProfile#AES_CM_128_HMAC_SHA1_80}, extended
 * master secret required (RFC 7627), a client certificate required and checked against the
 * fingerprint of the peer's SDP (RFC 8122 section 5, RFC 8827 section 6.5), and the SRTP keys
 * exported with {@code EXTRACTOR-dtls_srtp}.
 *
 * <p>{@link #handshake} blocks: run it on a handshake executor, never on an event loop.
 *
 * <p>Thread-safety: one instance per handshake, used by the thread that runs it.
 */
public final class DtlsSrtpServer extends DefaultTlsServer {

    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private final DtlsCertificate certificate;
    private final String remoteFingerprintAlgorithm;
    private final byte[] remoteFingerprint;
    private final int handshakeTimeoutMillis;
    private final int maxHandshakeMessageBytes;
    private final java.util.function.Consumer<String> closedByPeer;
    private SrtpProfile profile;
    private DtlsSrtpKeys keys;
    private org.bouncycastle.tls.DTLSTransport transport;
    private volatile boolean handshakeDone;
    private volatile boolean peerClosed;

    /**
     * @param remoteFingerprintAlgorithm the JDK name of the SDP fingerprint's hash
     * @param remoteFingerprint          the fingerprint the client's certificate must have
     * @param handshakeTimeoutMillis     the whole handshake's deadline
     * @param maxHandshakeMessageBytes   the largest handshake message accepted
     * @param closedByPeer               told, after the handshake, that the peer sent
     *                                   {@code close_notify} or a fatal alert (with its name);
     *                                   runs on the thread that called {@link #receive}
     */
    public DtlsSrtpServer(DtlsCertificate certificate, String remoteFingerprintAlgorithm, byte[] remoteFingerprint,
                          int handshakeTimeoutMillis, int maxHandshakeMessageBytes,
                          java.util.function.Consumer<String> closedByPeer) {
        super(new BcTlsCrypto(new SecureRandom()));
        this.certificate = certificate;
        this.remoteFingerprintAlgorithm = remoteFingerprintAlgorithm;
        this.remoteFingerprint = remoteFingerprint.clone();
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.maxHandshakeMessageBytes = maxHandshakeMessageBytes;
        this.closedByPeer = closedByPeer;
    }

    /**
     * Runs the handshake over {@code transport} and returns the exported SRTP keys.
     *
     * @throws IOException when it fails, times out, or the client's certificate does not
     *         match the fingerprint
     */
    public DtlsSrtpKeys handshake(DatagramQueueTransport transport) throws IOException {
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        // ICE has already proved the address (RFC 8445 connectivity checks with the SDP's
        // credentials), so the cookie round trip of HelloVerifyRequest adds nothing.
        protocol.setVerifyRequests(false);
        this.transport = protocol.accept(this, transport);
        if (keys == null) {
            throw new IOException("DTLS handshake finished without SRTP keys");
        }
        handshakeDone = true;
        return keys;
    }

    /**
     * After the handshake, processes the records queued on the transport without waiting
     * for more: resends the final flight when the client repeats its own (its copy of ours
     * was lost, RFC 6347 section 4.2.4), and reports a {@code close_notify} or fatal alert
     * to {@code closedByPeer}. Application data (no data channels are negotiated) is
     * discarded. Blocks for about a millisecond: run it on the handshake executor.
     *
     * @throws IOException when the DTLS connection failed
     */
    public void receive() throws IOException {
        org.bouncycastle.tls.DTLSTransport t = transport;
        if (t == null) {
            return;
        }
        byte[] buf = new byte[t.getReceiveLimit()];
        try {
            while (!peerClosed && t.receive(buf, 0, buf.length, 1) >= 0) {
                // Application data: nothing to do with it.
            }
        } catch (IOException e) {
            if (!peerClosed) {
                throw e; // after close_notify the transport is closed; that was reported
            }
        }
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        super.notifyAlertReceived(alertLevel, alertDescription);
        if (handshakeDone && (alertDescription == AlertDescription.close_notify
                || alertLevel == org.bouncycastle.tls.AlertLevel.fatal)) {
            peerClosed = true;
            closedByPeer.accept(AlertDescription.getName(alertDescription));
        }
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return CIPHER_SUITES.clone();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    public int getMaxHandshakeMessageSize() {
        return maxHandshakeMessageBytes;
    }

    @Override
    public int getMaxCertificateChainLength() {
        return 4;
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        TlsCertificate cert = getCrypto().createCertificate(certificate.der());
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                certificate.privateKey(), new Certificate(new TlsCertificate[] {cert}),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    @SuppressWarnings("rawtypes") // BouncyCastle's API
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered != null) {
            // AES-GCM first: one pass for encryption and authentication, and a shorter
            // per-packet cost than AES-CM with a separate HMAC-SHA1.
            for (int preferred : new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
                    SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}) {
                for (int id : offered.getProtectionProfiles()) {
                    if (profile == null && id == preferred) {
                        profile = SrtpProfile.of(id);
                    }
                }
            }
        }
        if (profile == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure,
                    "the client offers no SRTP profile this server has (use_srtp, RFC 5764 section 4.1.2)");
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"}) // BouncyCastle's API
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profile.id()}, new byte[0]));
        return extensions;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public CertificateRequest getCertificateRequest() {
        Vector algorithms = new Vector();
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa));
        algorithms.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "the client sent no certificate");
        }
        byte[] der = clientCertificate.getCertificateAt(0).getEncoded();
        byte[] fingerprint;
        try {
            fingerprint = MessageDigest.getInstance(remoteFingerprintAlgorithm).digest(der);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, e);
        }
        if (!MessageDigest.isEqual(fingerprint, remoteFingerprint)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "the client's certificate does not match the SDP fingerprint");
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        int k = profile.keyLength();
        int s = profile.saltLength();
        byte[] m = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (k + s));
        // RFC 5764 section 4.2: client key, server key, client salt, server salt.
        byte[] clientKey = java.util.Arrays.copyOfRange(m, 0, k);
        byte[] serverKey = java.util.Arrays.copyOfRange(m, k, 2 * k);
        byte[] clientSalt = java.util.Arrays.copyOfRange(m, 2 * k, 2 * k + s);
        byte[] serverSalt = java.util.Arrays.copyOfRange(m, 2 * k + s, 2 * k + 2 * s);
        keys = new DtlsSrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
    }
}

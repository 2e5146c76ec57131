package io.livehub.webrtc.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
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

/**
 * A browser-like DTLS client for tests: DTLS 1.2, use_srtp with AES_CM_128_HMAC_SHA1_80, a
 * self-signed ECDSA certificate; keeps the exported SRTP keying material (60 bytes; a
 * shorter export is its prefix) and the
 * server's certificate.
 */
public final class TestDtlsClient extends DefaultTlsClient {

    private final DtlsCertificate certificate;
    public byte[] exported;
    public byte[] serverCertificate;

    private final int[] profiles;

    /** Offers AES_CM_128_HMAC_SHA1_80 only. */
    public TestDtlsClient(DtlsCertificate certificate) {
        this(certificate, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
    }

    /** Offers these {@code use_srtp} profiles, in order. */
    public TestDtlsClient(DtlsCertificate certificate, int... profiles) {
        super(new BcTlsCrypto(new SecureRandom()));
        this.certificate = certificate;
        this.profiles = profiles.clone();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable ext = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(profiles, new byte[0]));
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
        exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 60); // room for both profiles
    }
}

package io.livehub.webrtc.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed ECDSA P-256 certificate made when the module starts, as WebRTC endpoints do
 * (RFC 8827 section 6.5): peers authenticate it by the fingerprint in the SDP, not by a CA.
 *
 * <p>Thread-safety: immutable.
 */
public final class DtlsCertificate {

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final byte[] sha256;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) throws GeneralSecurityException {
        this.der = der;
        this.privateKey = privateKey;
        this.sha256 = MessageDigest.getInstance("SHA-256").digest(der);
    }

    /** Makes a new key pair and a certificate valid from a day ago for {@code validity}. */
    public static DtlsCertificate generate(Duration validity) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = kpg.generateKeyPair();
            X500Name name = new X500Name("CN=livehub");
            Instant now = Instant.now();
            BigInteger serial = new BigInteger(63, new SecureRandom());
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(validity)), name, kp.getPublic());
            byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
            return new DtlsCertificate(der, PrivateKeyFactory.createKey(kp.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make the DTLS certificate", e);
        }
    }

    /** Returns a copy of the DER encoding. */
    public byte[] der() {
        return der.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** Returns a copy of the SHA-256 fingerprint (RFC 8122 section 5) of the DER encoding. */
    public byte[] sha256() {
        return sha256.clone();
    }
}

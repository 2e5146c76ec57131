package io.livehub.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * Makes a self-signed certificate for {@code 127.0.0.1} and {@code localhost} at test time with
 * the JDK's {@code keytool}, so no key material is committed and no extra library is needed, and
 * builds the server and client TLS contexts from it.
 */
public final class TestCertificates {

    private static final char[] PASSWORD = "livehub-test".toCharArray();

    public final SslContext server;
    /** A client context that trusts exactly this certificate. */
    public final SslContext client;
    public final X509Certificate certificate;

    private TestCertificates(SslContext server, SslContext client, X509Certificate certificate) {
        this.server = server;
        this.client = client;
        this.certificate = certificate;
    }

    /** Makes a certificate for {@code 127.0.0.1} and {@code localhost}. */
    public static TestCertificates create(Path dir) throws Exception {
        return create(dir, "localhost", "ip:127.0.0.1,dns:localhost");
    }

    /**
     * Makes a certificate with the given common name and subject alternative names, such as
     * {@code ip:127.0.0.1,dns:localhost}.
     */
    public static TestCertificates create(Path dir, String commonName, String subjectAltNames) throws Exception {
        Path keystore = Files.createTempFile(dir, "server-", ".p12");
        Files.delete(keystore);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
                "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAltNames,
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "keytool failed: " + output);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        X509Certificate cert = (X509Certificate) ks.getCertificate("server");
        SslContext server = SslContextBuilder.forServer(kmf).build();
        SslContext client = SslContextBuilder.forClient().trustManager(cert).build();
        return new TestCertificates(server, client, cert);
    }
}

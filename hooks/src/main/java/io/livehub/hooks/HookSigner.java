package io.livehub.hooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs callback bodies with HMAC-SHA256 (RFC 2104, FIPS 180-4) so that a receiver can tell
 * they come from this server, and verifies such signatures. The header value is
 * {@code sha256=} followed by the lower-case hex MAC of the exact body bytes, the form GitHub's
 * webhooks use, so existing receiver code applies.
 *
 * <p>A receiver checks a request with the same key:
 * <pre>{@code
 * boolean ok = new HookSigner(key).verify(bodyBytes, request.getHeader("X-Livehub-Signature"));
 * }</pre>
 *
 * <p>Thread-safety: immutable; every call uses its own {@link Mac}.
 */
public final class HookSigner {

    /** The prefix of a signature header value. */
    public static final String PREFIX = "sha256=";

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /**
     * Creates a signer with a copy of {@code key}.
     *
     * @throws IllegalArgumentException when the key is empty
     */
    public HookSigner(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("signing key must not be empty");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** Creates a signer whose key is the UTF-8 bytes of {@code key}. */
    public HookSigner(String key) {
        this(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the header value for {@code body}: {@code sha256=<hex>}. */
    public String sign(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(body));
    }

    /**
     * Returns whether {@code header} is the signature of {@code body}, comparing in constant
     * time; false for a null or malformed header.
     */
    public boolean verify(byte[] body, String header) {
        if (header == null || !header.startsWith(PREFIX)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(PREFIX.length()).trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(body), given);
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "HookSigner{HmacSHA256}";
    }
}

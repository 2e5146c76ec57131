package io.livehub.webrtc.srtp;

/**
 * The SRTP protection profiles this module negotiates in the DTLS {@code use_srtp}
 * extension (RFC 5764 section 4.1.2), with their key, salt and tag sizes.
 */
public enum SrtpProfile {
    /** RFC 5764 section 4.1.2: AES-128 counter mode, HMAC-SHA1 tag of 80 bits (RFC 3711 section 5). */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 20, 10),
    /** RFC 7714 section 14.2: AES-128 in GCM, a 16-byte tag, a 12-byte salt, no separate MAC. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 0, 16);

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int authKeyLength;
    private final int tagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int authKeyLength, int tagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.authKeyLength = authKeyLength;
        this.tagLength = tagLength;
    }

    /** Returns the profile's id in the {@code use_srtp} extension. */
    public int id() {
        return id;
    }

    /** Returns the master (and session) encryption key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Returns the master (and session) salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Returns the session authentication key length in bytes; 0 for an AEAD profile. */
    public int authKeyLength() {
        return authKeyLength;
    }

    /** Returns the authentication tag length in bytes. */
    public int tagLength() {
        return tagLength;
    }

    /** Returns whether the profile is an AEAD one (RFC 7714), which authenticates with the cipher. */
    public boolean isAead() {
        return authKeyLength == 0;
    }

    /** Returns the profile with this {@code use_srtp} id, or null. */
    public static SrtpProfile of(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}

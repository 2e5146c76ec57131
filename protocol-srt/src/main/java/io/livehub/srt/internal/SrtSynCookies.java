package io.livehub.srt.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks the SYN cookies of the induction phase (draft-sharabayko-srt section
 * 4.3.1.1): a keyed hash of the caller's address and port and the current minute, so a
 * listener keeps no state for a caller until it echoes the cookie, and a spoofed source
 * address never gets past induction. A cookie stays valid in the minute after it was made.
 *
 * <p>Thread-safety: confined to the endpoint's event loop.
 */
final class SrtSynCookies {

    private final Mac mac;

    SrtSynCookies() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    int cookie(InetSocketAddress peer, long nowMillis) {
        return make(peer, nowMillis / 60_000);
    }

    boolean verify(InetSocketAddress peer, int cookie, long nowMillis) {
        long minute = nowMillis / 60_000;
        return make(peer, minute) == cookie || make(peer, minute - 1) == cookie;
    }

    private int make(InetSocketAddress peer, long minute) {
        byte[] ip = peer.getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(ip.length + 12);
        b.put(ip).putInt(peer.getPort()).putLong(minute);
        byte[] h = mac.doFinal(b.array());
        return ByteBuffer.wrap(h).getInt();
    }
}

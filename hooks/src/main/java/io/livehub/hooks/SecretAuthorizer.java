package io.livehub.hooks;

import io.livehub.event.Decision;
import io.livehub.event.MediaEvent;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletionStage;

/**
 * Protects publishing, and optionally playing, with a stream secret as SRS Stack does (its
 * FAQ, "How to disable push authentication"). A client proves it knows the secret {@code xxx}
 * in one of three ways:
 * <ol>
 *   <li>the query parameter {@code ?secret=xxx} on the stream URL or the RTMP tcUrl:
 *       {@code rtmp://host/live/livestream?secret=xxx};</li>
 *   <li>for cameras that cannot send a query, the secret appended to the stream name after the
 *       word {@code secret}: {@code rtmp://host/live/livestreamsecretxxx};</li>
 *   <li>the secret as the whole stream name: {@code rtmp://host/live/xxx}.</li>
 * </ol>
 * With forms 2 and 3 the secret is part of the stream's name, so players use that same name
 * (as the FAQ notes); {@link #streamName(String)} gives the name without the secret for a
 * server that keys streams without it.
 *
 * <p>The publish and play secrets are separate; each may be changed at run time
 * ({@link #secret(String)}, {@link #playSecret(String)}) and takes effect for the next request;
 * null or empty turns that check off (the default for playing). Comparisons hash both sides
 * with SHA-256 and compare the digests with {@link MessageDigest#isEqual}, so their time
 * depends neither on where the texts differ nor on the secret's length. A denial's reason never
 * contains the secret or what the client sent.
 *
 * <p>Thread-safety: all methods may be called from any thread; each secret is one volatile
 * reference.
 */
public final class SecretAuthorizer implements MediaServerListener {

    /** The query parameter carrying the secret. */
    public static final String PARAM = "secret";
    /** The word between a stream name and the secret embedded in it. */
    public static final String NAME_MARKER = "secret";

    private volatile Secret publish;
    private volatile Secret play;

    private record Secret(String text, byte[] digest) {
    }

    /** Creates an authorizer for publishing with {@code publishSecret} (null or empty: off). */
    public SecretAuthorizer(String publishSecret) {
        this(publishSecret, null);
    }

    /** Creates an authorizer with separate secrets (null or empty turns that check off). */
    public SecretAuthorizer(String publishSecret, String playSecret) {
        this.publish = secretOf(publishSecret);
        this.play = secretOf(playSecret);
    }

    private static Secret secretOf(String s) {
        return s == null || s.isEmpty() ? null : new Secret(s, digest(s));
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Replaces the publish secret; null or empty turns publish authentication off. */
    public void secret(String secret) {
        this.publish = secretOf(secret);
    }

    /** Returns the publish secret, or null when publishing is open. */
    public String secret() {
        Secret s = publish;
        return s == null ? null : s.text;
    }

    /** Replaces the play secret; null or empty turns play authentication off. */
    public void playSecret(String secret) {
        this.play = secretOf(secret);
    }

    /** Returns the play secret, or null when playing is open. */
    public String playSecret() {
        Secret s = play;
        return s == null ? null : s.text;
    }

    @Override
    public CompletionStage<Decision> onPublish(PublishEvent event) {
        return check(publish, event, "publish");
    }

    @Override
    public CompletionStage<Decision> onPlay(PlayEvent event) {
        return check(play, event, "play");
    }

    private static CompletionStage<Decision> check(Secret secret, MediaEvent event, String what) {
        if (secret == null) {
            return Decision.allowStage();
        }
        String name = event.stream() == null ? "" : event.stream().name();
        if (matches(secret, event.params().get(PARAM), name)) {
            return Decision.allowStage();
        }
        return Decision.denyStage(event.params().containsKey(PARAM)
                ? "wrong " + what + " secret" : "missing " + what + " secret");
    }

    /**
     * Returns whether {@code param} (the {@code secret} query value, or null) or the stream
     * {@code name} proves knowledge of the publish secret, in any of the three forms; true when
     * publishing is open.
     */
    public boolean allowsPublish(String param, String name) {
        Secret s = publish;
        return s == null || matches(s, param, name);
    }

    private static boolean matches(Secret secret, String param, String name) {
        boolean ok = false;
        if (param != null) {
            ok |= MessageDigest.isEqual(secret.digest, digest(param));
        }
        if (name != null && !name.isEmpty()) {
            ok |= MessageDigest.isEqual(secret.digest, digest(name));
            // Every place the marker occurs is tried, so the work depends on the name only.
            for (int i = name.indexOf(NAME_MARKER); i >= 0; i = name.indexOf(NAME_MARKER, i + 1)) {
                ok |= MessageDigest.isEqual(secret.digest, digest(name.substring(i + NAME_MARKER.length())));
            }
        }
        return ok;
    }

    /**
     * Returns {@code name} without an embedded publish secret: {@code livestream} for
     * {@code livestreamsecretxxx} when the secret is {@code xxx}. A name that is the secret
     * itself, a name without it, and any name while publishing is open come back unchanged.
     */
    public String streamName(String name) {
        Secret s = publish;
        if (s == null || name == null) {
            return name;
        }
        String suffix = NAME_MARKER + s.text;
        if (name.length() > suffix.length() && name.endsWith(suffix)) {
            String candidate = name.substring(name.length() - s.text.length());
            if (MessageDigest.isEqual(s.digest, digest(candidate))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    @Override
    public String toString() {
        return "SecretAuthorizer{publish=" + (publish == null ? "off" : "on")
                + ", play=" + (play == null ? "off" : "on") + "}";
    }
}

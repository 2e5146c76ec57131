package io.livehub.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.event.Decision;
import io.livehub.event.PlayEvent;
import io.livehub.media.StreamKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks the three forms of the SRS Stack stream secret, rotation, disabling and play secrets. */
class SecretAuthorizerTest {

    private static Decision publish(SecretAuthorizer a, String name, Map<String, String> params) {
        return a.onPublish(TestEvents.publish("1", StreamKey.of("live", name), params)).toCompletableFuture().join();
    }

    private static Decision play(SecretAuthorizer a, String name, Map<String, String> params) {
        return a.onPlay(new PlayEvent(TestEvents.client("2"), StreamKey.of("live", name), params, TestEvents.TIME))
                .toCompletableFuture().join();
    }

    @Test
    void queryParameterForm() {
        SecretAuthorizer a = new SecretAuthorizer("8f7605d6");
        assertTrue(publish(a, "livestream", Map.of("secret", "8f7605d6")).allowed());
        Decision wrong = publish(a, "livestream", Map.of("secret", "8f7605d7"));
        assertFalse(wrong.allowed());
        assertEquals("wrong publish secret", wrong.reason());
        Decision missing = publish(a, "livestream", Map.of());
        assertFalse(missing.allowed());
        assertEquals("missing publish secret", missing.reason());
        assertFalse(publish(a, "livestream", Map.of("secret", "")).allowed());
        assertFalse(publish(a, "livestream", Map.of("secret", "8f7605d6x")).allowed());
    }

    @Test
    void secretEmbeddedInTheName() {
        SecretAuthorizer a = new SecretAuthorizer("xxx");
        assertTrue(publish(a, "livestreamsecretxxx", Map.of()).allowed());
        assertTrue(publish(a, "secretxxx", Map.of()).allowed());
        assertFalse(publish(a, "livestreamsecretxx", Map.of()).allowed());
        assertFalse(publish(a, "livestreamsecretxxxy", Map.of()).allowed());
        assertFalse(publish(a, "livestreamxxx", Map.of()).allowed());
        assertEquals("livestream", a.streamName("livestreamsecretxxx"));
        assertEquals("livestream", a.streamName("livestream"));
        assertEquals("xxx", a.streamName("xxx"));
        assertEquals("camsecretyyy", a.streamName("camsecretyyy"));
    }

    @Test
    void secretContainingTheMarkerWord() {
        SecretAuthorizer a = new SecretAuthorizer("mysecretkey");
        assertTrue(publish(a, "camsecretmysecretkey", Map.of()).allowed());
        assertFalse(publish(a, "camsecretkey", Map.of()).allowed());
        assertEquals("cam", a.streamName("camsecretmysecretkey"));
    }

    @Test
    void secretAsTheWholeName() {
        SecretAuthorizer a = new SecretAuthorizer("k9Xq2");
        assertTrue(publish(a, "k9Xq2", Map.of()).allowed());
        assertFalse(publish(a, "k9Xq3", Map.of()).allowed());
    }

    @Test
    void rotationTakesEffectForTheNextRequest() {
        SecretAuthorizer a = new SecretAuthorizer("old");
        assertTrue(publish(a, "s", Map.of("secret", "old")).allowed());
        a.secret("new");
        assertEquals("new", a.secret());
        assertFalse(publish(a, "s", Map.of("secret", "old")).allowed());
        assertTrue(publish(a, "s", Map.of("secret", "new")).allowed());
    }

    @Test
    void nullOrEmptyDisables() {
        SecretAuthorizer a = new SecretAuthorizer("abc");
        a.secret("");
        assertNull(a.secret());
        assertTrue(publish(a, "s", Map.of()).allowed());
        a.secret(null);
        assertTrue(publish(a, "s", Map.of("secret", "whatever")).allowed());
        assertTrue(new SecretAuthorizer(null).allowsPublish(null, "x"));
    }

    @Test
    void playSecretIsSeparateAndOffByDefault() {
        SecretAuthorizer a = new SecretAuthorizer("pub");
        assertTrue(play(a, "s", Map.of()).allowed());
        a.playSecret("watch");
        assertFalse(play(a, "s", Map.of()).allowed());
        assertFalse(play(a, "s", Map.of("secret", "pub")).allowed());
        assertTrue(play(a, "s", Map.of("secret", "watch")).allowed());
        assertFalse(publish(a, "s", Map.of("secret", "watch")).allowed());
        a.playSecret(null);
        assertTrue(play(a, "s", Map.of()).allowed());
    }

    @Test
    void reasonsAndTextNeverShowTheSecret() {
        SecretAuthorizer a = new SecretAuthorizer("s3cr3t-value", "p1ay-value");
        Decision d = publish(a, "live", Map.of("secret", "guess"));
        assertFalse(d.reason().contains("s3cr3t") || d.reason().contains("guess"));
        assertFalse(a.toString().contains("s3cr3t") || a.toString().contains("p1ay"));
    }
}

package io.livehub.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A WHIP client's bearer token is the publish secret (RFC 9725 §4.5), unless the URL names one. */
class WebRtcSignallingTest {

    @Test
    void bearerTokenBecomesTheSecret() {
        assertEquals(Map.of("app", "live", "secret", "s3cret"),
                WebRtcSignalling.withBearerSecret(Map.of("app", "live"), "Bearer s3cret"));
        assertEquals("s3cret", WebRtcSignalling.withBearerSecret(Map.of(), "bearer  s3cret ").get("secret"));
        Map<String, String> query = Map.of("secret", "fromUrl");
        assertSame(query, WebRtcSignalling.withBearerSecret(query, "Bearer other"), "the URL's secret wins");
        Map<String, String> none = Map.of("app", "live");
        assertSame(none, WebRtcSignalling.withBearerSecret(none, null));
        assertSame(none, WebRtcSignalling.withBearerSecret(none, "Basic dXNlcjpwdw=="));
        assertSame(none, WebRtcSignalling.withBearerSecret(none, "Bearer "));
    }
}

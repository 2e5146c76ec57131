package io.livehub.hooks.api;

import static io.livehub.hooks.api.ApiAccess.Verdict.ALLOW;
import static io.livehub.hooks.api.ApiAccess.Verdict.FORBIDDEN;
import static io.livehub.hooks.api.ApiAccess.Verdict.UNAUTHORIZED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ApiAccessTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 5000);
    private static final InetSocketAddress LOOPBACK6 = new InetSocketAddress("::1", 5000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.7", 5000);

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withATokenEveryClientMustPresentIt() {
        ApiAccess a = new ApiAccess("t0k:en");
        assertEquals(ALLOW, a.decide(REMOTE, "Bearer t0k:en"));
        assertEquals(ALLOW, a.decide(REMOTE, "bearer   t0k:en "));
        assertEquals(ALLOW, a.decide(REMOTE, basic("anyone", "t0k:en")));
        assertEquals(ALLOW, a.decide(LOOPBACK, basic("", "t0k:en")));
        assertEquals(UNAUTHORIZED, a.decide(LOOPBACK, null), "loopback needs the token too");
        assertEquals(UNAUTHORIZED, a.decide(REMOTE, "Bearer t0k"));
        assertEquals(UNAUTHORIZED, a.decide(REMOTE, "Bearer t0k:enx"));
        assertEquals(UNAUTHORIZED, a.decide(REMOTE, basic("t0k:en", "wrong")));
        assertEquals(UNAUTHORIZED, a.decide(REMOTE, "Basic not-base64!"));
        assertEquals(UNAUTHORIZED, a.decide(REMOTE, "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes())));
        assertEquals(UNAUTHORIZED, a.decide(REMOTE, "Digest t0k:en"));
        assertEquals(UNAUTHORIZED, a.decide(REMOTE, "t0k:en"));
        assertEquals(UNAUTHORIZED, a.decide(REMOTE, ""));
    }

    @Test
    void withoutATokenOnlyLoopbackIsServed() {
        for (ApiAccess a : new ApiAccess[] {new ApiAccess(null), new ApiAccess("")}) {
            assertEquals(ALLOW, a.decide(LOOPBACK, null));
            assertEquals(ALLOW, a.decide(LOOPBACK6, null));
            assertEquals(ALLOW, a.decide(new InetSocketAddress("127.1.2.3", 1), "Bearer whatever"));
            assertEquals(FORBIDDEN, a.decide(REMOTE, null));
            assertEquals(FORBIDDEN, a.decide(REMOTE, "Bearer anything"), "credentials do not open a loopback-only API");
            assertEquals(FORBIDDEN, a.decide(new InetSocketAddress("2001:db8::1", 1), null));
            assertEquals(FORBIDDEN, a.decide(null, null));
        }
    }
}

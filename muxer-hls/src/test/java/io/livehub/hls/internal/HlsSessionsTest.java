package io.livehub.hls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.livehub.hls.HlsSessionLimits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The admission of new HLS viewers, on a clock of the test's: the per-address burst and rate,
 * the per-address limit, the total from the memory budget, slots given back, quiet addresses
 * forgotten, and the sizes checked before anything is kept.
 */
class HlsSessionsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private HlsSessions sessions(HlsSessionLimits limits) {
        return new HlsSessions(null, Duration.ofSeconds(30), limits, now::get);
    }

    private static InetAddress ip(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void anAddressStartsABurstThenAtTheRate() throws Exception {
        HlsSessions s = sessions(HlsSessionLimits.builder().newSessionsPerSecondPerAddress(3).build());
        for (int i = 0; i < 3; i++) {
            assertNull(s.admit(ip(1)), "the burst");
        }
        HlsSessions.Refusal r = s.admit(ip(1));
        assertNotNull(r);
        assertEquals(429, r.status());
        assertEquals(1, r.retryAfterSeconds());
        assertNull(s.admit(ip(2)), "another address has its own tokens");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(340));
        assertNull(s.admit(ip(1)), "a third of a second gives one token at 3/s");
        assertNotNull(s.admit(ip(1)));
        assertEquals(2, s.refused());
    }

    @Test
    void anAddressHasAtMostItsSessionsAndGetsSlotsBack() throws Exception {
        HlsSessions s = sessions(HlsSessionLimits.builder().maxSessionsPerAddress(2)
                .newSessionsPerSecondPerAddress(1000).build());
        assertNull(s.admit(ip(1)));
        assertNull(s.admit(ip(1)));
        HlsSessions.Refusal r = s.admit(ip(1));
        assertEquals(429, r.status());
        assertEquals(30, r.retryAfterSeconds(), "a slot frees when a session idles out");
        s.release(ip(1));
        assertNull(s.admit(ip(1)), "a denied or ended viewer gives its slot back");
    }

    @Test
    void theMemoryBudgetBoundsAllAddressesTogether() throws Exception {
        HlsSessionLimits limits = HlsSessionLimits.builder().memoryBudget(1 << 20).build();
        int max = limits.maxSessions();
        HlsSessions s = sessions(limits);
        int admitted = 0;
        for (int i = 0; i < max + 20; i++) {
            if (s.admit(ip(i % 250 + 1)) == null) {
                admitted++;
            }
            now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        }
        assertEquals(max, admitted, "at most " + max + " sessions of " + limits.sessionBytes() + " bytes");
        assertEquals(503, s.admit(ip(251)).status());
    }

    @Test
    void quietAddressesAreForgotten() throws Exception {
        HlsSessions s = sessions(HlsSessionLimits.defaults());
        assertNull(s.admit(ip(1)));
        assertNull(s.admit(ip(2)));
        s.release(ip(2));
        s.sweepAddresses();
        assertEquals(2, s.addressCount(), "ip 2 has used a token that has not refilled yet");
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        s.sweepAddresses();
        assertEquals(1, s.addressCount(), "ip 1 has a session, ip 2 holds nothing");
    }

    @Test
    void longQueriesAndHostsAreRefusedBeforeAnythingIsKept() {
        HlsSessions s = sessions(HlsSessionLimits.defaults());
        assertNull(s.checkRequest("secret=" + "x".repeat(1000), "example.com:8080"));
        assertEquals(400, s.checkRequest("t=" + "x".repeat(1023), "example.com").status());
        assertEquals(400, s.checkRequest("", "h".repeat(256)).status());
        assertEquals(0, s.addressCount());
    }

    @Test
    void onlyIdsShapedLikeOursAreTakenAgain() {
        assertEquals(true, HlsSessions.wellFormed("0123456789abcdef01234567"));
        for (String bad : new String[] {null, "", "0123456789ABCDEF01234567", "0123456789abcdef0123456",
                "0123456789abcdef012345678", "0123456789abcdef0123456g", "../../etc/passwd"}) {
            assertEquals(false, HlsSessions.wellFormed(bad), bad);
        }
    }

    @Test
    void theRedirectKeepsTheQueryAndReplacesAnOldSession() {
        assertEquals("/live/s.m3u8?secret=a%20b&x&hls_ctx=abc",
                HlsSessions.location("/live/s.m3u8", "secret=a%20b&hls_ctx=old&x", "abc"));
        assertEquals("/live/s.m3u8?hls_ctx=abc", HlsSessions.location("/live/s.m3u8", "", "abc"));
    }
}

package io.livehub.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void countsPerAddressAndInTotalAndForgetsAddressesWithNothingOpen() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter("SRT", ConnectionLimits.of(2, 3));
        assertTrue(l.tryAcquire(ip("10.0.0.1")));
        assertTrue(l.tryAcquire(ip("10.0.0.1")));
        assertFalse(l.tryAcquire(ip("10.0.0.1")), "per-address cap");
        assertEquals(1, l.refusedPerAddress());
        assertTrue(l.tryAcquire(ip("10.0.0.2")));
        assertFalse(l.tryAcquire(ip("10.0.0.3")), "total cap");
        assertEquals(1, l.refusedTotal());
        assertEquals(3, l.open());
        l.release(ip("10.0.0.1"));
        l.release(ip("10.0.0.2"));
        assertEquals(1, l.open(ip("10.0.0.1")));
        assertEquals(0, l.open(ip("10.0.0.2")));
        assertTrue(l.tryAcquire(ip("10.0.0.3")));
        assertEquals(2, l.refused());
    }

    @Test
    void aChannelBeyondTheCapIsClosedAndAnAdmittedOneGivesItsSlotBack() {
        ConnectionLimiter l = new ConnectionLimiter("test", ConnectionLimits.of(1, 10));
        EmbeddedChannel a = new EmbeddedChannel(l);
        assertTrue(a.isOpen());
        assertEquals(1, l.open());
        assertTrue(a.pipeline().names().stream().noneMatch(n -> n.contains("ConnectionLimiter")),
                "an admitted channel does not keep the handler");
        EmbeddedChannel b = new EmbeddedChannel(l);
        assertFalse(b.isOpen(), "a second channel from the same (local) address is closed");
        assertEquals(1, l.refusedPerAddress());
        a.close();
        assertEquals(0, l.open());
        EmbeddedChannel c = new EmbeddedChannel(l);
        assertTrue(c.isOpen());
        c.close();
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionLimits.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ConnectionLimits.of(1, 0));
    }
}

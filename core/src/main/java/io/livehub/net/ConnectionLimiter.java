package io.livehub.net;

import io.livehub.util.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps concurrent connections per remote address and in total ({@link ConnectionLimits}),
 * refusing the excess at accept: the connection is closed before any of its bytes are read,
 * with a rate-limited log line and a counter (ARCHITECTURE.md section 6).
 *
 * <p>For TCP servers it is a sharable Netty handler: add it first in the child channel
 * initializer ({@code pipeline.addLast(limiter)}) and stop initializing when
 * {@code !ch.isOpen()}; an admitted connection gives its slot back when it closes. A server
 * without channels per client (SRT's listener, one UDP socket) uses the counting API instead:
 * {@link #tryAcquire} when a handshake would open a connection, {@link #release} when that
 * connection ends.
 *
 * <p>Memory is bounded by the total: the per-address map holds only addresses with open
 * connections.
 *
 * <p>Thread-safety: thread-safe; one instance per server port, shared by its channels.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final RateLimitedLog refusals = new RateLimitedLog(log, Duration.ofSeconds(10));

    private final String name;
    private final ConnectionLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final LongAdder refusedPerAddress = new LongAdder();
    private final LongAdder refusedTotal = new LongAdder();

    /**
     * Creates a limiter.
     *
     * @param name what it guards, for log lines (for example {@code "HTTP"} or {@code "RTMP"})
     */
    public ConnectionLimiter(String name, ConnectionLimits limits) {
        this.name = Objects.requireNonNull(name, "name");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /**
     * Takes a slot for a connection from {@code address}.
     *
     * @return false (and counts and logs the refusal) when the address or the server is at its cap
     */
    public boolean tryAcquire(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (open.incrementAndGet() > limits.total()) {
            open.decrementAndGet();
            refusedTotal.increment();
            refusals.warn("total-" + name, "refusing a {} connection from {}: {} connections open (limit)",
                    name, address.getHostAddress(), limits.total());
            return false;
        }
        boolean[] taken = new boolean[1];
        perAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= limits.perAddress()) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        if (!taken[0]) {
            open.decrementAndGet();
            refusedPerAddress.increment();
            refusals.warn("address-" + name, "refusing a {} connection from {}: it has {} open (per-address limit)",
                    name, address.getHostAddress(), limits.perAddress());
            return false;
        }
        return true;
    }

    /** Gives back a slot taken by {@link #tryAcquire} for {@code address}. */
    public void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    /**
     * Admits {@code ch} or closes it: takes a slot for its remote address and gives it back
     * when the channel closes. A channel without an IP address (a local or embedded channel)
     * counts as one from the loopback address.
     *
     * @return whether the channel was admitted
     */
    public boolean admit(Channel ch) {
        InetAddress address = addressOf(ch.remoteAddress());
        boolean ok = tryAcquire(address);
        if (!ok) {
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> release(address));
        return true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (admit(ctx.channel())) {
            ctx.pipeline().remove(this);
        }
    }

    /** Returns the connections open now. */
    public int open() {
        return open.get();
    }

    /** Returns the connections open now from {@code address}. */
    public int open(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    /** Returns how many connections were refused for the per-address cap. */
    public long refusedPerAddress() {
        return refusedPerAddress.sum();
    }

    /** Returns how many connections were refused for the total cap. */
    public long refusedTotal() {
        return refusedTotal.sum();
    }

    /** Returns how many connections were refused for either cap. */
    public long refused() {
        return refusedPerAddress.sum() + refusedTotal.sum();
    }

    private static InetAddress addressOf(SocketAddress remote) {
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            return isa.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public String toString() {
        return "ConnectionLimiter{" + name + ", " + limits + ", open " + open.get() + "}";
    }
}

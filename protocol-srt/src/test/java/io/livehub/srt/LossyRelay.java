package io.livehub.srt;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test helper: a UDP relay between one client and one server that drops a share of the
 * datagrams in each direction and swaps some neighbours, deterministically (seeded). A held
 * datagram goes out after the next one, or after {@link #MAX_HOLD_MILLIS} when none follows, as
 * a reordering network delays a packet by a little, not until the sender speaks again.
 */
public final class LossyRelay implements AutoCloseable {

    /** The longest a datagram is held back for reordering. */
    public static final int MAX_HOLD_MILLIS = 5;

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress server;
    private final double dropRate;
    private final double reorderRate;
    private volatile SocketAddress client;
    private volatile boolean running = true;
    public final AtomicLong dropped = new AtomicLong();
    public final AtomicLong reordered = new AtomicLong();
    public final AtomicLong forwarded = new AtomicLong();

    public LossyRelay(InetSocketAddress server, double dropRate, double reorderRate, long seed) throws IOException {
        this.server = server;
        this.dropRate = dropRate;
        this.reorderRate = reorderRate;
        this.front = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.back = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        start("relay-up", front, back, true, new Random(seed));
        start("relay-down", back, front, false, new Random(seed + 1));
    }

    /** Returns the address clients send to. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), front.getLocalPort());
    }

    private void start(String name, DatagramSocket from, DatagramSocket to, boolean upstream, Random random) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            byte[] held = null;
            SocketAddress heldTo = null;
            while (running) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    from.setSoTimeout(held != null ? MAX_HOLD_MILLIS : 0);
                    try {
                        from.receive(p);
                    } catch (java.net.SocketTimeoutException quiet) {
                        to.send(new DatagramPacket(held, held.length, heldTo));
                        forwarded.incrementAndGet();
                        held = null;
                        continue;
                    }
                    if (upstream) {
                        client = p.getSocketAddress();
                    }
                    SocketAddress dest = upstream ? server : client;
                    if (dest == null) {
                        continue;
                    }
                    byte[] data = Arrays.copyOf(p.getData(), p.getLength());
                    if (random.nextDouble() < dropRate) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    if (held == null && random.nextDouble() < reorderRate) {
                        held = data;
                        heldTo = dest;
                        reordered.incrementAndGet();
                        continue;
                    }
                    to.send(new DatagramPacket(data, data.length, dest));
                    forwarded.incrementAndGet();
                    if (held != null) {
                        to.send(new DatagramPacket(held, held.length, dest));
                        forwarded.incrementAndGet();
                        held = null;
                    }
                } catch (IOException e) {
                    if (!running) {
                        return;
                    }
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        running = false;
        front.close();
        back.close();
    }
}

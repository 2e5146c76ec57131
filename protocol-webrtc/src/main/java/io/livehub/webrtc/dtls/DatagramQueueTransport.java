package io.livehub.webrtc.dtls;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bouncycastle.tls.DatagramTransport;

/**
 * Hands DTLS records between a Netty event loop and a handshake thread: the loop
 * {@linkplain #offer offers} received datagrams into a bounded queue (a full queue drops,
 * as the network would), the handshake thread blocks in {@link #receive} with BouncyCastle's
 * wait time, and sends go to a callback that writes them on the channel.
 *
 * <p>Thread-safety: {@link #offer} and {@link #close} from any thread; the rest from the one
 * handshake (later: application data) thread.
 */
public final class DatagramQueueTransport implements DatagramTransport {

    private static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> in;
    private final Consumer<byte[]> sender;
    private final int mtu;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param queueDatagrams the most datagrams waiting for the handshake thread
     * @param mtu            the largest datagram sent or received
     * @param sender         writes one datagram to the peer; takes the array
     */
    public DatagramQueueTransport(int queueDatagrams, int mtu, Consumer<byte[]> sender) {
        this.in = new ArrayBlockingQueue<>(queueDatagrams + 1);
        this.mtu = mtu;
        this.sender = sender;
    }

    /** Queues a received datagram; returns false (and counts it) when the queue is full or closed. */
    public boolean offer(byte[] datagram) {
        if (closed || datagram.length > mtu || in.remainingCapacity() <= 1 || !in.offer(datagram)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Returns how many datagrams were dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public int getReceiveLimit() {
        return mtu;
    }

    @Override
    public int getSendLimit() {
        return mtu;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        byte[] d;
        try {
            d = in.poll(Math.max(0, waitMillis), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (d == null) {
            return -1;
        }
        if (d == CLOSED || closed) {
            throw new IOException("DTLS transport closed");
        }
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        sender.accept(copy);
    }

    /** Wakes a blocked {@link #receive}, which then fails; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            in.clear();
            in.offer(CLOSED);
        }
    }
}

package io.livehub.srt;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Test helper: writes every UDP datagram it receives on a loopback port to a file, in order. */
public final class UdpFileSink implements AutoCloseable {

    private final DatagramSocket socket;
    private final OutputStream out;
    private final Thread thread;
    public final AtomicLong datagrams = new AtomicLong();
    public final AtomicLong bytes = new AtomicLong();
    private volatile long lastAt = System.nanoTime();

    public UdpFileSink(Path file) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setReceiveBufferSize(8 << 20);
        out = Files.newOutputStream(file);
        thread = new Thread(this::run, "udp-file-sink");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Returns the nanoTime of the last datagram (or of the start). */
    public long lastAt() {
        return lastAt;
    }

    private void run() {
        byte[] buf = new byte[65536];
        try {
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                out.write(p.getData(), 0, p.getLength());
                datagrams.incrementAndGet();
                bytes.addAndGet(p.getLength());
                lastAt = System.nanoTime();
            }
        } catch (SocketException closed) {
            // close() ends the loop
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until no datagram came for {@code quietMillis}, at most {@code maxMillis}. */
    public void awaitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (System.nanoTime() - lastAt < quietMillis * 1_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        thread.join(5000);
        out.close();
    }
}

package io.livehub.push;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Receives UDP datagrams on a loopback port and appends them to a file, for ffprobe to read. */
final class UdpSink implements AutoCloseable {

    final AtomicLong datagrams = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    private final DatagramSocket socket;
    private final Thread thread;
    private volatile long lastNanos = System.nanoTime();

    UdpSink(Path file) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setReceiveBufferSize(8 << 20);
        socket.setSoTimeout(100);
        OutputStream out = Files.newOutputStream(file);
        thread = new Thread(() -> {
            byte[] buf = new byte[65536];
            try (out) {
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    out.write(p.getData(), 0, p.getLength());
                    datagrams.incrementAndGet();
                    bytes.addAndGet(p.getLength());
                    lastNanos = System.nanoTime();
                }
            } catch (SocketException e) {
                // closed
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "udp-sink");
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Waits until nothing arrived for {@code quietMillis} after something did, at most {@code maxMillis}. */
    void awaitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (datagrams.get() > 0 && System.nanoTime() - lastNanos > quietMillis * 1_000_000) {
                return;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

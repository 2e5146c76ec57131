package io.livehub.push;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;

/**
 * Relays one UDP peer to an upstream port on loopback and can drop everything both ways: an
 * SRT destination whose path died, so it neither receives nor acknowledges.
 */
final class FreezableUdpRelay implements AutoCloseable {

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress upstream;
    private volatile SocketAddress client;
    private volatile boolean frozen;

    FreezableUdpRelay(int upstreamPort) throws IOException {
        front = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        back = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        start("relay-in", front, true);
        start("relay-out", back, false);
    }

    int port() {
        return front.getLocalPort();
    }

    /** Drops (true) or relays (false) every datagram. */
    void freeze(boolean on) {
        frozen = on;
    }

    private void start(String name, DatagramSocket from, boolean fromClient) throws IOException {
        from.setSoTimeout(100);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!from.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    from.receive(p);
                    if (frozen) {
                        continue;
                    }
                    if (fromClient) {
                        client = p.getSocketAddress();
                        back.send(new DatagramPacket(p.getData(), p.getLength(), upstream));
                    } else if (client != null) {
                        front.send(new DatagramPacket(p.getData(), p.getLength(), client));
                    }
                } catch (SocketTimeoutException e) {
                    // look at isClosed again
                } catch (IOException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        front.close();
        back.close();
    }
}

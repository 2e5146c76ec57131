package io.livehub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.spi.Transport;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoint closes connections whose request head trickles in (slowloris) and refuses
 * connections beyond its per-address cap at accept, while the connections it holds go on
 * (issue 13, item 3).
 */
class HttpEndpointLimitsTest {

    private final NioEventLoopGroup boss = new NioEventLoopGroup(1);
    private final NioEventLoopGroup workers = new NioEventLoopGroup(2);
    private final List<Socket> sockets = new ArrayList<>();
    private HttpEndpoint endpoint;
    private int port;

    private void start(HttpServerConfig.Builder config) throws Exception {
        HttpRoutes routes = new HttpRoutes();
        routes.add((ctx, req) -> {
            HttpResponses.text(ctx, req, HttpResponseStatus.OK, "ok\n");
            return true;
        });
        endpoint = new HttpEndpoint(config.host("127.0.0.1").port(0).build(), routes);
        port = endpoint.start(new Transport(boss, workers, NioServerSocketChannel.class, NioSocketChannel.class,
                NioDatagramChannel.class, false));
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        sockets.add(s);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Sends a keep-alive GET and reads its whole (small, length-delimited) answer. */
    private static String get(Socket s) throws IOException {
        send(s, "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed by the server");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head.substring(0, head.indexOf("\r\n")) + " " + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    /** Returns whether the server closes {@code s} within {@code millis}. */
    private static boolean closedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void aRequestHeadTricklingInIsClosedAtTheDeadline() throws Exception {
        start(HttpServerConfig.builder().requestHeadTimeout(Duration.ofMillis(800)));
        Socket slow = connect();
        send(slow, "GET /x HTTP/1.1\r\n");
        boolean closed = false;
        // One header byte every 200 ms: each byte would reset the idle timer, not this deadline.
        for (int i = 0; i < 40 && !closed; i++) {
            try {
                send(slow, "X");
            } catch (IOException e) {
                closed = true;
                break;
            }
            closed = closedWithin(slow, 200);
        }
        assertTrue(closed, "the trickling head is closed");
        assertEquals(1, endpoint.headTimeouts());
    }

    @Test
    void aKeepAliveConnectionMayWaitBetweenRequestsLongerThanTheHeadDeadline() throws Exception {
        start(HttpServerConfig.builder().requestHeadTimeout(Duration.ofMillis(300)));
        Socket s = connect();
        assertEquals("HTTP/1.1 200 OK ok\n", get(s));
        assertTrue(!closedWithin(s, 1000), "idle between requests: only the idle timeout applies");
        assertEquals("HTTP/1.1 200 OK ok\n", get(s));
        assertEquals(0, endpoint.headTimeouts());
    }

    @Test
    void connectionsBeyondThePerAddressCapAreRefusedWhileTheOthersGoOn() throws Exception {
        start(HttpServerConfig.builder().maxConnectionsPerAddress(3).maxConnections(100));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = connect();
            assertEquals("HTTP/1.1 200 OK ok\n", get(s));
            held.add(s);
        }
        Socket excess = connect();
        assertTrue(closedWithin(excess, 5000), "the fourth connection is closed at accept");
        assertEquals(1, endpoint.connectionLimiter().refusedPerAddress());
        for (Socket s : held) {
            assertEquals("HTTP/1.1 200 OK ok\n", get(s), "held connections go on");
        }
        held.get(0).close();
        // The slot comes back once the server has seen the close.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (endpoint.connectionLimiter().open() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("HTTP/1.1 200 OK ok\n", get(connect()));
    }

    @Test
    void connectionsBeyondTheTotalCapAreRefused() throws Exception {
        start(HttpServerConfig.builder().maxConnectionsPerAddress(10).maxConnections(2));
        Socket a = connect();
        Socket b = connect();
        assertEquals("HTTP/1.1 200 OK ok\n", get(a));
        assertEquals("HTTP/1.1 200 OK ok\n", get(b));
        assertTrue(closedWithin(connect(), 5000));
        assertEquals(1, endpoint.connectionLimiter().refusedTotal());
        assertEquals("HTTP/1.1 200 OK ok\n", get(a));
    }
}

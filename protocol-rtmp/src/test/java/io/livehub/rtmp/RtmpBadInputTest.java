package io.livehub.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.handshake.RtmpHandshakeConfig;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends broken bytes to a running server: each bad connection is closed, and the server keeps
 * serving. After the raw-socket cases, a real ffmpeg publish and play must still work.
 */
class RtmpBadInputTest {

    @TempDir
    Path dir;

    private MediaServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = MediaServer.builder().httpPort(-1)
                .module(RtmpModule.builder().host("127.0.0.1").port(0)
                        .handshake(RtmpHandshakeConfig.builder().timeout(Duration.ofSeconds(2)).build())
                        .build())
                .start();
        port = server.port("rtmp");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Returns whether the server closed the connection within a few seconds. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(8000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    return true;
                }
            }
        } catch (SocketException e) {
            return true; // reset
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        return s;
    }

    /** Performs a simple handshake as a client would; returns the socket ready for chunks. */
    private Socket handshaken() throws IOException {
        Socket s = connect();
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;
        out.write(c0c1);
        byte[] s0s1s2 = in.readNBytes(1 + 1536 + 1536);
        assertEquals(3073, s0s1s2.length);
        byte[] c2 = new byte[1536];
        System.arraycopy(s0s1s2, 1, c2, 0, 1536);
        out.write(c2);
        out.flush();
        return s;
    }

    private static void sendQuietly(Socket s, byte[] bytes) {
        try {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
        } catch (IOException e) {
            // The server may close while we write: that is the expected outcome.
        }
    }

    @Test
    void garbageInsteadOfAHandshakeIsClosed() throws Exception {
        try (Socket s = connect()) {
            sendQuietly(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertTrue(closedByServer(s));
        }
    }

    @Test
    void truncatedHandshakeTimesOut() throws Exception {
        try (Socket s = connect()) {
            sendQuietly(s, new byte[] {3, 0, 0, 0, 0, 0});
            assertTrue(closedByServer(s), "a stalled handshake is closed by the handshake timeout");
        }
    }

    @Test
    void hugeChunkSizeIsClosed() throws Exception {
        try (Socket s = handshaken()) {
            // Set Chunk Size to 2^31-1: fmt 0, csid 2, ts 0, length 4, type 1, msid 0, payload.
            sendQuietly(s, new byte[] {0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertTrue(closedByServer(s));
        }
    }

    @Test
    void messageLongerThanTheLimitIsClosed() throws Exception {
        try (Socket s = handshaken()) {
            // A 16 MiB - 1 video message header on csid 6.
            sendQuietly(s, new byte[] {0x06, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 9, 1, 0, 0, 0});
            assertTrue(closedByServer(s));
        }
    }

    @Test
    void deeplyNestedAmfIsClosed() throws Exception {
        try (Socket s = handshaken()) {
            // connect(1, {a: {a: {a: ...}}}) nested 10 000 levels deep.
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes(new byte[] {0x02, 0, 7});
            body.writeBytes("connect".getBytes());
            body.writeBytes(new byte[] {0x00, 0x3f, (byte) 0xf0, 0, 0, 0, 0, 0, 0});
            for (int i = 0; i < 10_000; i++) {
                body.writeBytes(new byte[] {0x03, 0x00, 0x01, 'a'});
            }
            body.write(0x05);
            sendChunked(s, 20, body.toByteArray());
            assertTrue(closedByServer(s));
        }
    }

    @Test
    void tenMegabytesOfRandomBytesAfterAHandshakeAreClosed() throws Exception {
        try (Socket s = handshaken()) {
            byte[] junk = new byte[10 << 20];
            new Random(42).nextBytes(junk);
            sendQuietly(s, junk);
            assertTrue(closedByServer(s));
        }
    }

    /** Sends one message on csid 3 in 128-byte chunks (the initial chunk size). */
    private static void sendChunked(Socket s, int type, byte[] body) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(0x03);
        b.write(0);
        b.write(0);
        b.write(0);
        b.write(body.length >> 16);
        b.write(body.length >> 8);
        b.write(body.length);
        b.write(type);
        b.write(0);
        b.write(0);
        b.write(0);
        b.write(0);
        for (int off = 0; off < body.length; off += 128) {
            if (off > 0) {
                b.write(0xc3);
            }
            b.write(body, off, Math.min(128, body.length - off));
        }
        sendQuietly(s, b.toByteArray());
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndIdleOnesClosed() throws Exception {
        try (MediaServer small = MediaServer.builder().httpPort(-1)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).maxConnections(2)
                        .idleTimeout(Duration.ofSeconds(1)).build())
                .start()) {
            int p = small.port("rtmp");
            try (Socket a = new Socket("127.0.0.1", p); Socket b = new Socket("127.0.0.1", p)) {
                Thread.sleep(200);
                try (Socket c = new Socket("127.0.0.1", p)) {
                    assertTrue(closedByServer(c), "the third connection is refused");
                }
                // Both open connections send nothing and are closed by the idle timeout.
                assertTrue(closedByServer(a));
                assertTrue(closedByServer(b));
            }
        }
    }

    @Test
    void connectionsBeyondThePerAddressCapAreRefusedAndCounted() throws Exception {
        RtmpModule rtmp = RtmpModule.builder().host("127.0.0.1").port(0).maxConnectionsPerAddress(2).build();
        try (MediaServer small = MediaServer.builder().httpPort(-1).module(rtmp).start()) {
            int p = small.port("rtmp");
            try (Socket a = new Socket("127.0.0.1", p); Socket b = new Socket("127.0.0.1", p)) {
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (rtmp.connectionCount() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                try (Socket c = new Socket("127.0.0.1", p)) {
                    assertTrue(closedByServer(c), "the third connection from one address is refused");
                }
                assertEquals(1, rtmp.connectionLimiter().refusedPerAddress());
                assertEquals(2, rtmp.connectionCount());
            }
        }
    }

    @Test
    @Tag("interop")
    void afterAllThatAPublishAndAPlayStillWork() throws Exception {
        try (Socket a = connect(); Socket b = handshaken(); Socket c = handshaken()) {
            sendQuietly(a, new byte[] {9, 9, 9});
            byte[] junk = new byte[1 << 20];
            new Random(7).nextBytes(junk);
            sendQuietly(b, junk);
            sendQuietly(c, new byte[] {0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertTrue(closedByServer(b));
            assertTrue(closedByServer(c));
        }
        String url = "rtmp://127.0.0.1:" + port + "/live/after";
        try (ExternalProcess pub = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "6", "-c:v", "libx264",
                "-preset", "ultrafast", "-g", "25", "-f", "flv", url)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (server.hub().stream(StreamKey.of("live", "after")) == null
                    || !server.hub().stream(StreamKey.of("live", "after")).isPublishing()) {
                assertTrue(System.nanoTime() < deadline, "publisher did not start: " + pub.output());
                Thread.sleep(20);
            }
            Path out = dir.resolve("after.flv");
            ExternalProcess.Result play = ExternalProcess.run(dir, 30, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-y", "-i", url, "-frames:v", "20", "-c", "copy", out.toString());
            assertEquals(0, play.exitCode(), play.describe());
            assertEquals(20, Ffprobe.of(dir, out).packets("video").size());
        }
    }
}

package io.livehub.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.HubConfig;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Interop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Players that stop reading are closed by the hub's write deadline instead of being kept
 * forever (issue 13, item 4): 30 HTTP-FLV and 30 RTMP players on raw sockets with a 4 KiB
 * receive buffer start playing an ffmpeg stream and never read again; a player beside them
 * that reads keeps receiving. Tagged {@code interop}: needs ffmpeg.
 */
@Tag("interop")
class StalledPlayersInteropTest {

    private static final int STALLED_PER_PROTOCOL = 30;
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private MediaServer server;
    private final List<ExternalProcess> processes = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = MediaServer.builder()
                .http(io.livehub.http.HttpServerConfig.builder().host("127.0.0.1").port(0).build())
                .hub(HubConfig.builder().writeTimeout(WRITE_TIMEOUT).build())
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(HttpFlvModule.builder().build())
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        for (ExternalProcess p : processes) {
            p.close();
        }
        server.close();
    }

    @Test
    void playersThatNeverReadAreClosedWhileAReadingPlayerGoesOn() throws Exception {
        Interop.require("ffmpeg");
        int rtmpPort = server.port("rtmp");
        int httpPort = server.port("http");
        // Noise does not compress: a few Mbit/s fill the stalled sockets' buffers quickly.
        processes.add(ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25,noise=alls=80:allf=t",
                "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
                "-b:v", "3M", "-maxrate", "3M", "-bufsize", "1M", "-pix_fmt", "yuv420p",
                "-f", "flv", "rtmp://127.0.0.1:" + rtmpPort + "/live/stall"));
        StreamKey key = StreamKey.of("live", "stall");
        await(() -> {
            LiveStream s = server.hub().stream(key);
            return s != null && s.isPublishing() && s.framesIn() > 25;
        }, 20);

        AtomicLong readerBytes = new AtomicLong();
        Socket reader = socket(httpPort, 0);
        writeAscii(reader, "GET /live/stall.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        Thread readerThread = new Thread(() -> {
            byte[] buf = new byte[65536];
            try {
                InputStream in = reader.getInputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    readerBytes.addAndGet(n);
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        }, "reading-player");
        readerThread.setDaemon(true);
        readerThread.start();

        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < STALLED_PER_PROTOCOL; i++) {
            Socket flv = socket(httpPort, 4096);
            writeAscii(flv, "GET /live/stall.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            stalled.add(flv);
            stalled.add(rtmpPlayer(rtmpPort, "live", "stall"));
        }
        await(() -> server.hub().stream(key).subscriberCount() == 2 * STALLED_PER_PROTOCOL + 1, 20);

        // Deadline 2 s, checked every 0.5 s, after the sockets' buffers filled: well within 30 s.
        await(() -> server.hub().evictedByWriteTimeout() >= 2 * STALLED_PER_PROTOCOL, 30);
        await(() -> server.hub().stream(key).subscriberCount() == 1, 10);
        for (Socket s : stalled) {
            assertTrue(closedByServer(s), "a stalled player's connection is closed");
        }
        assertEquals(2 * STALLED_PER_PROTOCOL, server.hub().evictedByWriteTimeout());

        long before = readerBytes.get();
        await(() -> readerBytes.get() > before + 100_000, 10);
        assertEquals(1, server.hub().stream(key).subscriberCount(), "the reading player stays");
    }

    private Socket socket(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        sockets.add(s);
        return s;
    }

    private static void writeAscii(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /**
     * Opens an RTMP connection that handshakes, connects, creates a stream and plays, reading
     * only the handshake: the server's answers and the stream then pile up unread.
     */
    private Socket rtmpPlayer(int port, String app, String name) throws IOException {
        Socket s = socket(port, 4096);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3; // C0: RTMP version 3; C1: time, zero, and zero "random" bytes
        out.write(c0c1);
        out.flush();
        byte[] s0s1s2 = in.readNBytes(1 + 1536 + 1536);
        assertEquals(3073, s0s1s2.length);
        out.write(s0s1s2, 1, 1536); // C2 echoes S1
        ByteArrayOutputStream connect = new ByteArrayOutputStream();
        amfString(connect, "connect");
        amfNumber(connect, 1);
        connect.write(0x03);
        amfKey(connect, "app");
        amfString(connect, app);
        amfKey(connect, "tcUrl");
        amfString(connect, "rtmp://127.0.0.1:" + port + "/" + app);
        connect.writeBytes(new byte[] {0, 0, 0x09});
        out.write(chunked(3, 20, 0, connect.toByteArray()));
        ByteArrayOutputStream create = new ByteArrayOutputStream();
        amfString(create, "createStream");
        amfNumber(create, 2);
        create.write(0x05);
        out.write(chunked(3, 20, 0, create.toByteArray()));
        ByteArrayOutputStream play = new ByteArrayOutputStream();
        amfString(play, "play");
        amfNumber(play, 0);
        play.write(0x05);
        amfString(play, name);
        out.write(chunked(8, 20, 1, play.toByteArray()));
        out.flush();
        return s;
    }

    private static void amfString(ByteArrayOutputStream b, String s) {
        b.write(0x02);
        amfKey(b, s);
    }

    private static void amfKey(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.write(bytes.length >> 8);
        b.write(bytes.length);
        b.writeBytes(bytes);
    }

    private static void amfNumber(ByteArrayOutputStream b, double v) {
        b.write(0x00);
        long bits = Double.doubleToLongBits(v);
        for (int i = 7; i >= 0; i--) {
            b.write((int) (bits >>> (8 * i)));
        }
    }

    /** Encodes one message in 128-byte chunks (the initial chunk size): fmt 0 header, then fmt 3. */
    private static byte[] chunked(int csid, int type, int streamId, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(csid);
        b.writeBytes(new byte[] {0, 0, 0});
        b.write(body.length >> 16);
        b.write(body.length >> 8);
        b.write(body.length);
        b.write(type);
        // The message stream id is little-endian.
        b.writeBytes(new byte[] {(byte) streamId, 0, 0, 0});
        for (int off = 0; off < body.length; off += 128) {
            if (off > 0) {
                b.write(0xc0 | csid);
            }
            b.write(body, off, Math.min(128, body.length - off));
        }
        return b.toByteArray();
    }

    /** Returns whether the server closed the connection (reading what is left until then). */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        byte[] buf = new byte[65536];
        try {
            InputStream in = s.getInputStream();
            while (in.read(buf) >= 0) {
                // drain what the server wrote before it closed
            }
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private static void await(BooleanSupplier cond, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in " + seconds + " s");
            Thread.sleep(50);
        }
    }
}

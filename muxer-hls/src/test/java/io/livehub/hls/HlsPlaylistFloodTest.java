package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods a server running in its own JVM with a 256 MB heap ({@link HlsFloodServer}, default HLS
 * configuration, every play allowed) with playlist requests of new viewers, as in the reported
 * attack: four keep-alive connections from four loopback addresses pipelining requests with
 * 7,900-character queries, {@code Host} and {@code Referer} headers, mixed with requests within
 * the session limits (a 1,000-character query, the long {@code Referer}), for 20 s or 30,000
 * requests. Meanwhile a viewer of another stream plays through its session, and an HTTP-FLV
 * player of that stream reads (when the server has HTTP-FLV, see {@link HlsFloodServer}).
 * Afterwards the server is alive and answers, both players got media throughout, and the
 * sessions stayed within the per-address limit. Before the session limits, each of these requests kept a
 * session of about 20 KB and the heap ran out within seconds.
 */
class HlsPlaylistFloodTest {

    private static final int CONNECTIONS = 4;
    private static final int MAX_REQUESTS = 30_000;
    private static final long FLOOD_MILLIS = 20_000;
    private static final String HUGE = "x".repeat(7_900);

    @TempDir
    Path dir;

    private Process server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean flooding = new AtomicBoolean(true);

    @AfterEach
    void stop() throws Exception {
        flooding.set(false);
        if (server != null) {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aPlaylistFloodLeavesTheServerAndItsPlayersAlive() throws Exception {
        Path log = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), HlsFloodServer.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int port = awaitPort(log);
        String base = "http://127.0.0.1:" + port;
        boolean httpFlv = Files.readAllLines(log, StandardCharsets.ISO_8859_1).contains("HTTP-FLV yes");
        // Bytes the HTTP-FLV player got in each second of the test.
        Map<Long, LongAdder> flvBytes = new ConcurrentHashMap<>();
        Thread flvPlayer = new Thread(() -> readFlv(port, flvBytes), "flv-player");
        if (httpFlv) {
            flvPlayer.start();
        }

        // A viewer of another stream, through its session.
        HttpResponse<String> redirect = get(base + "/live/keep.m3u8?token=viewer");
        assertEquals(302, redirect.statusCode(), redirect.body());
        String playlist = base + redirect.headers().firstValue("location").orElseThrow();
        Set<String> fetched = new LinkedHashSet<>();
        AtomicInteger fetchedDuringFlood = new AtomicInteger();
        Thread viewer = new Thread(() -> {
            while (flooding.get()) {
                try {
                    HttpResponse<String> p = get(playlist);
                    if (p.statusCode() == 200) {
                        for (String line : p.body().split("\n")) {
                            if (!line.isEmpty() && !line.startsWith("#") && fetched.add(line)
                                    && client.send(HttpRequest.newBuilder(URI.create(base + "/live/" + line))
                                    .timeout(Duration.ofSeconds(10)).build(),
                                    HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200) {
                                fetchedDuringFlood.incrementAndGet();
                            }
                        }
                    }
                    Thread.sleep(500);
                } catch (IOException e) {
                    // counted as no progress
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "hls-viewer");
        // Wait for the first playlist of the viewer before the flood starts.
        HttpResponse<String> first = get(playlist);
        assertEquals(200, first.statusCode(), first.body());
        for (String line : first.body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                fetched.add(line);
            }
        }
        viewer.start();

        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        List<Thread> flood = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < CONNECTIONS; c++) {
            InetAddress from = InetAddress.getByName("127.0.0." + (c + 2));
            Thread t = new Thread(() -> floodFrom(from, port, sent, statuses, start), "flood-" + c);
            t.start();
            flood.add(t);
        }
        long end = start + TimeUnit.MILLISECONDS.toNanos(FLOOD_MILLIS);
        while (System.nanoTime() < end && sent.get() < MAX_REQUESTS && server.isAlive()) {
            Thread.sleep(100);
        }
        flooding.set(false);
        for (Thread t : flood) {
            t.join(10_000);
        }
        long floodEnd = System.nanoTime();
        viewer.interrupt();
        viewer.join(10_000);
        flvPlayer.join(10_000);

        System.out.printf("flood: %d requests in %d ms, answers %s; the HLS viewer fetched %d segments, the HTTP-FLV"
                + " player %d bytes in %d seconds%n", sent.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                statuses, fetchedDuringFlood.get(), flvBytes.values().stream().mapToLong(LongAdder::sum).sum(),
                flvBytes.size());
        assertTrue(server.isAlive(), "the server died under the flood:\n" + tail(log));
        HttpResponse<String> status = get(base + "/status");
        assertEquals(200, status.statusCode(), status.body());
        int clients = Integer.parseInt(status.body().trim().substring("clients ".length()));
        assertTrue(clients <= CONNECTIONS * HlsSessionLimits.defaults().maxSessionsPerAddress() + 1,
                clients + " clients listed");
        assertEquals(200, get(playlist).statusCode(), "the viewer's session lives on");
        // 20 s of flood hold about ten 2-s segments; a starved viewer would have got none or one.
        assertTrue(fetchedDuringFlood.get() >= 4, "the viewer fetched " + fetchedDuringFlood.get()
                + " new segments during the flood; " + sent.get() + " requests sent, answers " + statuses);
        assertTrue(sent.get() > 1000, "the flood sent only " + sent.get() + " requests");
        if (httpFlv) {
            // The synthetic publisher sends a second of frames every second: each 5-s stretch of the
            // flood brought the FLV player some (a 2-core machine shared with the flood itself may
            // hold the player back a few seconds, a starved one gets nothing).
            long fromSecond = TimeUnit.NANOSECONDS.toSeconds(start);
            long toSecond = TimeUnit.NANOSECONDS.toSeconds(floodEnd);
            List<Long> silent = new ArrayList<>();
            for (long window = fromSecond; window + 5 <= toSecond; window += 5) {
                long w = window;
                if (flvBytes.keySet().stream().noneMatch(sec -> sec >= w && sec < w + 5)) {
                    silent.add(window - fromSecond);
                }
            }
            assertTrue(silent.isEmpty(), "the HTTP-FLV player got nothing in the 5-s stretches starting at " + silent
                    + " s of the flood; bytes by second " + new java.util.TreeMap<>(flvBytes));
        } else {
            System.out.println("flood: no HTTP-FLV module on the class path, only the HLS viewer was checked");
        }
        assertTrue(statuses.getOrDefault("400", new LongAdder()).sum() > 0, "answers " + statuses);
        assertTrue(statuses.getOrDefault("429", new LongAdder()).sum() > 0, "answers " + statuses);
    }

    /**
     * Pipelines playlist requests of new viewers on one keep-alive connection after another,
     * spread over the flood's time (all connections together send about {@code MAX_REQUESTS}
     * in {@code FLOOD_MILLIS}), so the viewer is measured under flood all along.
     */
    private void floodFrom(InetAddress from, int port, AtomicInteger sent, Map<String, LongAdder> statuses,
                           long start) throws RuntimeException {
        while (flooding.get() && sent.get() < MAX_REQUESTS) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                Thread reader = new Thread(() -> countStatuses(s, statuses), "flood-reader");
                reader.start();
                OutputStream out = s.getOutputStream();
                for (int i = 0; flooding.get() && sent.get() < MAX_REQUESTS; i++) {
                    while (flooding.get() && sent.get() >= (System.nanoTime() - start) / 1e6 / FLOOD_MILLIS * MAX_REQUESTS) {
                        Thread.sleep(5);
                    }
                    String request = i % 2 == 0
                            ? "GET /live/flood.m3u8?token=" + HUGE + " HTTP/1.1\r\nHost: " + HUGE + "\r\nReferer: "
                                    + HUGE + "\r\n\r\n"
                            : "GET /live/flood.m3u8?token=" + HUGE.substring(0, 1000) + "&n=" + i
                                    + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nReferer: " + HUGE + "\r\n\r\n";
                    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                    sent.incrementAndGet();
                }
                s.shutdownOutput();
                reader.join(5000);
            } catch (IOException e) {
                // The server closed the connection: open another one.
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads {@code /live/keep.flv} until the flood ends, adding the bytes of each second. */
    private void readFlv(int port, Map<Long, LongAdder> bytes) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(1000);
            s.getOutputStream().write(("GET /live/keep.flv HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] b = new byte[16384];
            while (flooding.get()) {
                try {
                    int n = in.read(b);
                    if (n < 0) {
                        return;
                    }
                    bytes.computeIfAbsent(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime()), k -> new LongAdder())
                            .add(n);
                } catch (java.net.SocketTimeoutException e) {
                    // a quiet second: nothing counted
                }
            }
        } catch (IOException e) {
            // the server closed it: the seconds after it count as silent
        }
    }

    private static void countStatuses(Socket s, Map<String, LongAdder> statuses) {
        try {
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("HTTP/1.1 ") && line.length() >= 12) {
                    statuses.computeIfAbsent(line.substring(9, 12), k -> new LongAdder()).increment();
                }
            }
        } catch (IOException e) {
            // closed or quiet: done
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int awaitPort(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                    if (line.startsWith("PORT ")) {
                        return Integer.parseInt(line.substring(5).trim());
                    }
                }
            }
            assertTrue(server.isAlive(), "the server did not start:\n" + tail(log));
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not report its port:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}

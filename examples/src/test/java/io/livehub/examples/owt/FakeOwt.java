package io.livehub.examples.owt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers like OWT's REST API ({@code /rooms}, streaming-ins, stream PATCH, DELETEs) on
 * loopback, records every call, and can delay or fail calls.
 */
final class FakeOwt implements AutoCloseable {

    /** One recorded call; {@code answered} is set when its answer was sent. */
    static final class Call {
        final String method;
        final String path;
        final String body;
        volatile int status;

        Call(String method, String path, String body) {
            this.method = method;
            this.path = path;
            this.body = body;
        }

        String line() {
            return method + " " + path;
        }

        @Override
        public String toString() {
            return line() + " -> " + status + " " + body;
        }
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final AtomicInteger rooms = new AtomicInteger();
    private final AtomicInteger ins = new AtomicInteger();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();

    FakeOwt() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** Answers the next {@code count} calls whose {@code METHOD /path} starts with {@code prefix} with 503. */
    void fail(String prefix, int count) {
        failures.put(prefix, count);
    }

    /** Delays the answers to calls that are exactly {@code METHOD /path}. */
    void delay(String line, long millis) {
        delays.put(line, millis);
    }

    List<String> lines() {
        List<String> l = new ArrayList<>();
        calls.forEach(c -> l.add(c.line()));
        return l;
    }

    private void answer(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath().substring("/v1".length());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Call call = new Call(method, path, body);
        calls.add(call);
        String line = method + " " + path;
        try {
            Long delay = delays.get(line);
            if (delay != null) {
                Thread.sleep(delay);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Map.Entry<String, Integer> f : failures.entrySet()) {
            if (line.startsWith(f.getKey()) && f.getValue() > 0) {
                f.setValue(f.getValue() - 1);
                send(ex, call, 503, "{\"error\":\"busy\"}");
                return;
            }
        }
        String[] p = path.split("/");
        if (method.equals("POST") && path.equals("/rooms")) {
            int n = rooms.incrementAndGet();
            send(ex, call, 200, "{\"_id\":\"room" + n + "\",\"name\":\"x\",\"views\":[]}");
        } else if (method.equals("POST") && p.length == 4 && p[3].equals("streaming-ins")) {
            send(ex, call, 200, "{\"id\":\"in" + ins.incrementAndGet() + "\",\"type\":\"streaming\",\"info\":{}}");
        } else if (method.equals("PATCH") && p.length == 5 && p[3].equals("streams")) {
            send(ex, call, 200, "{\"id\":\"" + p[4] + "\",\"info\":{\"inViews\":[\"common\"]}}");
        } else if (method.equals("DELETE")) {
            send(ex, call, 200, "");
        } else {
            send(ex, call, 404, "{\"error\":\"not found\"}");
        }
    }

    private static void send(HttpExchange ex, Call call, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
        call.status = status;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

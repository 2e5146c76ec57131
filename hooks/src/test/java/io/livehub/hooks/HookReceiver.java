package io.livehub.hooks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A hook server on loopback for tests: records every request and answers as told, optionally
 * after a delay. Built on the JDK's {@code com.sun.net.httpserver}.
 */
final class HookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Request(String method, String path, String contentType, String requestId, String signature,
                   byte[] body, JsonNode json) {
        String action() {
            return json.path("action").asText();
        }

        String clientId() {
            return json.path("client_id").asText();
        }
    }

    /** What to answer: a status, a body and a delay before answering. */
    record Answer(int status, String body, long delayMillis) {
        static Answer ok() {
            return new Answer(200, "0", 0);
        }

        static Answer code(int code) {
            return new Answer(200, "{\"code\":" + code + "}", 0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hook-receiver");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> answers = r -> Answer.ok();

    private HookReceiver(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a plain HTTP receiver on loopback; port 0 picks a free port. */
    static HookReceiver start(int port) throws IOException {
        return new HookReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
    }

    /** Starts an HTTPS receiver on loopback with {@code tls}'s key. */
    static HookReceiver startHttps(int port, SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new HookReceiver(s);
    }

    void answer(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + port() + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String action) {
        return requests.stream().filter(r -> r.action().equals(action)).collect(Collectors.toList());
    }

    /** Waits up to 20 s until {@code cond} holds for the requests received; fails otherwise. */
    List<Request> await(Predicate<List<Request>> cond) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!cond.test(requests())) {
            assertTrue(System.nanoTime() < deadline, "hook requests not as expected in 20 s: " + summary());
            Thread.sleep(20);
        }
        return requests();
    }

    String summary() {
        return requests.stream().map(r -> r.action() + "#" + r.clientId()).collect(Collectors.joining(", "));
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readAllBytes();
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = JSON.createObjectNode();
        }
        Request r = new Request(x.getRequestMethod(), x.getRequestURI().getPath(),
                x.getRequestHeaders().getFirst("Content-Type"), x.getRequestHeaders().getFirst("X-Request-Id"),
                x.getRequestHeaders().getFirst(HttpHooksConfig.DEFAULT_SIGNATURE_HEADER), body, json);
        requests.add(r);
        Answer a = answers.apply(r);
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        try {
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(out);
            }
        } catch (IOException e) {
            // The client gave up waiting; nothing to answer.
        } finally {
            x.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

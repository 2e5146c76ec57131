package io.livehub.hooks.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Calls the management API over HTTP in tests. */
final class ApiClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
        int code() {
            return json.path("code").asInt(-1);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    ApiClient(int port, String authorization) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = authorization;
    }

    ApiClient as(String otherAuthorization) {
        return new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherAuthorization);
    }

    Answer get(String path) throws Exception {
        return send("GET", path, null);
    }

    /** Sends {@code body} (when not null) as {@code application/json}, as the API wants writes. */
    Answer send(String method, String path, String body) throws Exception {
        return send(method, path, body, body == null ? Map.of() : Map.of("Content-Type", "application/json"));
    }

    Answer send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.headers().firstValue("content-type").orElse("").startsWith("application/json")
                ? MAPPER.readTree(r.body()) : MAPPER.createObjectNode();
        return new Answer(r.statusCode(), json, r);
    }
}

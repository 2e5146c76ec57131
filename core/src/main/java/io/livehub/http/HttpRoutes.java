package io.livehub.http;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ordered list of {@link HttpService}s of a server's shared HTTP endpoint.
 *
 * <p>Thread-safety: services may be added and removed at any time from any thread.
 */
public final class HttpRoutes {

    private final List<HttpService> services = new CopyOnWriteArrayList<>();

    public void add(HttpService service) {
        services.add(Objects.requireNonNull(service, "service"));
    }

    public void remove(HttpService service) {
        services.remove(service);
    }

    /** Returns the services in the order they are asked. */
    public List<HttpService> services() {
        return services;
    }
}

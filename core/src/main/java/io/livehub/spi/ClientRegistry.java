package io.livehub.spi;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's open client connections, by client id, for the management API.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class ClientRegistry {

    private final ConcurrentHashMap<String, ClientSession> clients = new ConcurrentHashMap<>();

    /** Adds a connection; call when it is identified, and {@link #remove} when it closes. */
    public void add(ClientSession session) {
        clients.put(session.info().clientId(), session);
    }

    public void remove(ClientSession session) {
        clients.remove(session.info().clientId(), session);
    }

    /** Returns a snapshot of the open connections. */
    public Collection<ClientSession> list() {
        return List.copyOf(clients.values());
    }

    public Optional<ClientSession> find(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    /** Closes the connection with this id; returns false when there is none. */
    public boolean kick(String clientId) {
        ClientSession s = clients.get(clientId);
        if (s == null) {
            return false;
        }
        s.kick();
        return true;
    }

    public int size() {
        return clients.size();
    }
}

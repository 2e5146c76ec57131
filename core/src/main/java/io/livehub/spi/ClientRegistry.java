package io.livehub.spi;

import io.livehub.session.ClientSession;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's connected clients, by client id, for the management API. A
 * {@link ClientSession} adds itself when it connects and removes itself when it closes.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class ClientRegistry {

    private final ConcurrentHashMap<String, ClientSession> clients = new ConcurrentHashMap<>();

    /** Adds a client; its session calls this when it connected. */
    public void add(ClientSession session) {
        clients.put(session.id(), session);
    }

    /** Removes a client; its session calls this when it closed. */
    public void remove(ClientSession session) {
        clients.remove(session.id(), session);
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

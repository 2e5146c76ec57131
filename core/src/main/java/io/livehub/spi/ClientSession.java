package io.livehub.spi;

import io.livehub.event.ClientInfo;
import io.livehub.media.StreamKey;
import java.time.Instant;

/**
 * One client connection as the management API sees it: who it is, what it does, how much it
 * moved, and a way to end it. Protocol modules implement it for their connections and add
 * it to {@link ClientRegistry}.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public interface ClientSession {

    /** Says what a client is doing. */
    enum Role { CONNECTED, PUBLISHING, PLAYING }

    ClientInfo info();

    Role role();

    /** Returns the stream the client publishes or plays, or null. */
    StreamKey stream();

    Instant connectedAt();

    /** Returns the bytes received from the client. */
    long bytesIn();

    /** Returns the bytes sent to the client. */
    long bytesOut();

    /** Closes the connection; the usual close, unpublish and stop events follow. */
    void kick();
}

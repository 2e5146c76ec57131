package io.livehub.push.internal;

import io.livehub.push.PushTaskSpec;
import io.netty.channel.EventLoop;

/**
 * Makes the connection of a push task to its destination; one call per (re)connect.
 *
 * <p>Thread-safety: called on the task's event loop; must not block.
 */
@FunctionalInterface
public interface DestinationFactory {

    /** Returns a new, not yet opened, destination whose channel runs on {@code loop}. */
    Destination create(PushTaskSpec spec, EventLoop loop);
}

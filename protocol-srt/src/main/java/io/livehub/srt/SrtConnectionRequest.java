package io.livehub.srt;

import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;

/**
 * A caller's conclusion handshake as the listener's {@link SrtAcceptor} sees it
 * (draft-sharabayko-srt section 4.3.1.2).
 *
 * @param remoteAddress the caller's address
 * @param socketId      the caller's socket id
 * @param streamId      the stream id (SID extension), or empty
 * @param executor      the event loop the connection will run on, e.g. to publish into the hub from
 */
public record SrtConnectionRequest(InetSocketAddress remoteAddress, int socketId, String streamId,
                                   EventExecutor executor) {
}

package io.livehub.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Serves some of the requests of the shared HTTP endpoint: HTTP-FLV, HLS, the management
 * API. Services are asked in the order they were added; the first that returns true owns
 * the request.
 *
 * <p>Thread-safety: called on the connection's event loop; must not block.
 */
@FunctionalInterface
public interface HttpService {

    /**
     * Handles {@code request} when it is this service's, writing a response on {@code ctx}.
     * A service that streams (HTTP-FLV) may take the channel over; see
     * {@link HttpResponses#takeOver}.
     *
     * <p>Ownership: {@code request} is borrowed and released by the endpoint after this call.
     *
     * @return true when the request was handled, false to let the next service try
     */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception;
}

package io.livehub.srt;

import io.livehub.srt.internal.SrtEndpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Connects to an SRT listener as a caller (draft-sharabayko-srt section 4.3.1): induction,
 * then conclusion with HSREQ and the stream id, each repeated every 250 ms until answered or
 * until the handshake timeout. Each connection has its own UDP socket, closed with it.
 *
 * <p>With {@link SrtConfig#passphrase()} set, the conclusion carries a KMREQ with a new key of
 * {@link SrtConfig#keyLength()} bytes, and the connection is encrypted once the listener's
 * KMRSP echoes it; a wrong or missing passphrase fails the connect with an
 * {@link SrtRejectedException} ({@code BADSECRET}: "wrong passphrase"; {@code UNSECURE}:
 * "peer requires a passphrase" or "peer has no passphrase").
 *
 * <pre>{@code
 * SrtConnection c = SrtCaller.connect(SrtConfig.defaults(), group, NioDatagramChannel.class,
 *         new InetSocketAddress("127.0.0.1", 10080), "#!::r=live/show,m=publish", handler).get();
 * }</pre>
 *
 * <p>To push a hub stream to an SRT listener (a restream target), give the connection an
 * {@link SrtStreamSender}: it subscribes when the connection is established, sends the stream
 * as MPEG-TS and ends the subscription when the connection closes.
 *
 * <pre>{@code
 * SrtStreamSender sender = SrtStreamSender.mpegTs(server.hub(), StreamKey.of("live", "show"), config);
 * SrtCaller.connect(config, group, NioDatagramChannel.class, target, "#!::r=live/show,m=publish", sender);
 * }</pre>
 *
 * <p>A failed connect is not retried here; whoever owns the push (a push task) decides when to
 * call again. The connection's {@link SrtConnection#closeFuture()} tells when it ended, and
 * {@link SrtConnection#stats()} what it sent.
 *
 * <p>Thread-safety: stateless.
 */
public final class SrtCaller {

    private SrtCaller() {
    }

    /**
     * Starts connecting; the future fails with {@link SrtRejectedException} when the listener
     * rejects the connection or does not answer.
     *
     * @param streamId the stream id to send, or null for none
     */
    public static Future<SrtConnection> connect(SrtConfig config, EventLoopGroup group,
                                                Class<? extends DatagramChannel> type, InetSocketAddress remote,
                                                String streamId, SrtConnectionHandler handler) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(handler, "handler");
        SrtEndpoint endpoint = new SrtEndpoint(config, null);
        ChannelFuture bound = SrtListener.bootstrap(config, group, type, endpoint)
                .bind(remote.getAddress().isLoopbackAddress() ? remote.getAddress().getHostAddress() : "0.0.0.0", 0);
        Channel ch = bound.channel();
        Promise<SrtConnection> promise = ch.eventLoop().newPromise();
        bound.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            endpoint.connect(remote, streamId, handler, promise);
        });
        promise.addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
            } else {
                ((SrtConnection) f.getNow()).closeFuture().addListener(g -> ch.close());
            }
        });
        return promise;
    }
}

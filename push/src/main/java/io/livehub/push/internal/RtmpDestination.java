package io.livehub.push.internal;

import io.livehub.media.MediaFrame;
import io.livehub.rtmp.client.RtmpClient;
import io.livehub.rtmp.client.RtmpClientConfig;
import io.livehub.rtmp.client.RtmpPublishSession;
import io.livehub.rtmp.client.RtmpUrl;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Publishes to an RTMP or RTMPS server with {@link RtmpClient} (RTMPS sends the URL's host
 * as SNI and verifies the certificate against it). The client runs on the task's own event
 * loop, so every send is a direct write.
 *
 * <p>Thread-safety: confined to the task's event loop.
 */
final class RtmpDestination implements Destination {

    private final RtmpClient client;
    private final RtmpUrl url;
    private final EventLoop loop;
    private final Executor resolver;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile RtmpPublishSession session;
    private boolean closed;
    private volatile long sentBytes;

    RtmpDestination(RtmpClientConfig config, EventLoop loop, Class<? extends Channel> channelType, RtmpUrl url,
                    Executor resolver) {
        this.client = RtmpClient.create(config, loop, channelType);
        this.loop = loop;
        this.url = url;
        this.resolver = resolver;
    }

    /**
     * Looks the host up on the resolver first: the client's connect resolves on the event loop,
     * and a slow DNS answer there would hold every task of the loop. The lookup fills the JDK's
     * address cache, so the connect that follows finds the address at once.
     */
    @Override
    public CompletionStage<Void> open() {
        return CompletableFuture.runAsync(() -> {
            try {
                InetAddress.getAllByName(url.host());
            } catch (UnknownHostException e) {
                throw new CompletionException(new UnknownHostException("cannot resolve " + url.host()));
            }
        }, resolver).thenComposeAsync(v -> publish(), loop);
    }

    private CompletionStage<Void> publish() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        }
        return client.publish(url).thenAccept(s -> {
            s.closeFuture().whenComplete((v, t) -> {
                if (t == null) {
                    closeFuture.complete(null);
                } else {
                    closeFuture.completeExceptionally(t);
                }
            });
            // Runs on the connection's loop, which is the task's.
            session = s;
            if (closed) {
                s.close();
            }
        });
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public void metadata(Map<String, Object> metadata) {
        if (session != null && metadata != null) {
            session.metadata(metadata);
        }
    }

    @Override
    public void send(MediaFrame frame) {
        if (session == null) {
            frame.release();
            return;
        }
        // Media bytes handed to the connection; the RTMP session does not count its chunk headers.
        sentBytes += frame.content().readableBytes();
        session.send(frame);
    }

    @Override
    public void flush() {
        // The session flushes once per burst of sends on its own.
    }

    @Override
    public boolean isWritable() {
        RtmpPublishSession s = session;
        return s != null && s.isWritable();
    }

    @Override
    public long sentBytes() {
        return sentBytes;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (session != null) {
            session.close();
        }
        // Fails a connect in progress; leaves the shared loop running.
        client.close();
    }
}

package io.livehub.push.internal;

import io.livehub.hub.LiveStream;
import io.livehub.media.MediaFrame;
import io.livehub.srt.SrtCaller;
import io.livehub.srt.SrtConfig;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.SrtPayloadMuxer;
import io.livehub.srt.TsPayloadFormat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Sends the stream as MPEG-TS to an SRT listener as a caller ({@link SrtCaller}), with the
 * URL's stream id, passphrase and latency. A peer that stops answering (acknowledgements
 * included) for {@link SrtConfig#peerIdleTimeout()} ends the connection, which the task sees.
 *
 * <p>Thread-safety: confined to the task's event loop, on which the connection also runs.
 */
final class SrtDestination implements Destination {

    private final SrtConfig config;
    private final EventLoop loop;
    private final Class<? extends DatagramChannel> channelType;
    private final DestinationUrls.SrtTarget target;
    private final Executor resolver;
    private final SrtPayloadMuxer muxer;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile SrtConnection connection;
    private boolean closed;
    private boolean muxerClosed;

    SrtDestination(SrtConfig base, EventLoop loop, Class<? extends DatagramChannel> channelType,
                   DestinationUrls.SrtTarget target, Executor resolver, io.livehub.media.EgressForms forms) {
        this.config = configFor(base, target);
        this.loop = loop;
        this.channelType = channelType;
        this.target = target;
        this.resolver = resolver;
        this.muxer = TsPayloadFormat.INSTANCE.newMuxer(config.payloadSize(), forms);
    }

    /** Applies the URL's options to the module's SRT configuration. */
    static SrtConfig configFor(SrtConfig base, DestinationUrls.SrtTarget t) {
        SrtConfig.Builder b = SrtConfig.builder()
                .latency(t.latencyMillis() >= 0 ? java.time.Duration.ofMillis(t.latencyMillis()) : base.latency())
                .maxBandwidth(base.maxBandwidth())
                .mtu(base.mtu())
                .payloadSize(base.payloadSize())
                .flowWindow(base.flowWindow())
                .handshakeTimeout(base.handshakeTimeout())
                .peerIdleTimeout(base.peerIdleTimeout())
                .keyLength(t.passphrase() != null ? t.keyLength() : base.keyLength())
                .passphrase(t.passphrase() != null ? t.passphrase() : base.passphrase());
        return b.build();
    }

    @Override
    public CompletionStage<Void> open() {
        CompletableFuture.supplyAsync(() -> new InetSocketAddress(target.host(), target.port()), resolver)
                .whenComplete((addr, t) -> loop.execute(() -> connect(addr, t)));
        return opened;
    }

    private void connect(InetSocketAddress addr, Throwable t) {
        if (t != null || addr.isUnresolved()) {
            opened.completeExceptionally(new IllegalStateException("cannot resolve " + target.host()));
            closeMuxer();
            return;
        }
        if (closed) {
            opened.completeExceptionally(new IllegalStateException("closed"));
            closeMuxer();
            return;
        }
        SrtCaller.connect(config, loop, channelType, addr, target.streamId(), new Handler()).addListener(f -> {
            if (!f.isSuccess()) {
                Throwable c = f.cause();
                opened.completeExceptionally(new IllegalStateException("SRT connect to " + addr + " failed: "
                        + (c == null ? "cancelled" : c.getMessage()), c));
                closeMuxer();
            }
        });
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public void onPublish(LiveStream stream) {
        if (!muxerClosed) {
            muxer.onPublish(stream);
        }
    }

    @Override
    public void metadata(Map<String, Object> metadata) {
        // MPEG-TS has no place for RTMP metadata; the PMT describes the tracks.
    }

    @Override
    public void send(MediaFrame frame) {
        try {
            SrtConnection c = connection;
            if (c != null && c.isOpen() && !muxerClosed) {
                muxer.encode(frame, c::send);
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void flush() {
        // Each payload is one datagram, sent (paced) by the connection.
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public long sentBytes() {
        SrtConnection c = connection;
        return c == null ? 0 : c.stats().bytesSent();
    }

    @Override
    public void close() {
        closed = true;
        SrtConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    private void closeMuxer() {
        if (!muxerClosed) {
            muxerClosed = true;
            muxer.close();
        }
    }

    private final class Handler implements SrtConnectionHandler {
        @Override
        public void onConnected(SrtConnection c) {
            connection = c;
            opened.complete(null);
            if (closed) {
                c.close();
            }
        }

        @Override
        public void onPayload(SrtConnection c, ByteBuf payload) {
            // A push destination sends nothing the task needs.
        }

        @Override
        public void onClosed(SrtConnection c, String reason) {
            closeMuxer();
            if (closed) {
                closeFuture.complete(null);
            } else {
                closeFuture.completeExceptionally(new IllegalStateException("SRT connection closed: " + reason));
            }
        }

        @Override
        public void onAbandoned() {
            closeMuxer();
        }
    }
}

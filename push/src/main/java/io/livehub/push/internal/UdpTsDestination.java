package io.livehub.push.internal;

import io.livehub.hub.LiveStream;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.srt.SrtPayloadMuxer;
import io.livehub.srt.TsPayloadFormat;
import io.livehub.ts.TsPacket;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends the stream as MPEG-TS over UDP (ITU-T H.222.0 transport packets, seven per datagram
 * as every UDP TS sender and receiver expects: 1316 bytes), with PAT and PMT repeated by core's
 * {@link io.livehub.ts.TsMuxer} (before every keyframe and every 100 ms), paced by the media
 * clock: a datagram leaves when the wall clock since the first frame reaches its frame's
 * time, so a GOP replayed at connect does not leave as one burst a receiver would overflow on.
 *
 * <p>UDP has no connection: the destination is {@code pushing} once its socket is bound, and
 * never fails afterwards. Memory: at most {@link io.livehub.push.PushConfig#udpMaxQueuedBytes()}
 * wait for their time; above it the destination reports itself unwritable and the task's
 * queue drops to the next keyframe.
 *
 * <p>Thread-safety: confined to the task's event loop, on which the socket also runs.
 */
final class UdpTsDestination implements Destination {

    /** Seven 188-byte packets: what fits a 1500-byte MTU with IP and UDP headers. */
    static final int DATAGRAM_BYTES = 7 * TsPacket.SIZE;
    private static final Timebase NANOS = new Timebase(1, 1_000_000_000);
    /** A datagram this late (a loop hiccup) is sent at once and the clock is moved, not caught up. */
    private static final long MAX_LATE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a closing destination keeps sending what it made: about a GOP. */
    static final java.time.Duration DRAIN_LIMIT = java.time.Duration.ofSeconds(3);

    private record Datagram(long dueNanos, ByteBuf bytes) {
    }

    private final EventLoop loop;
    private final Class<? extends DatagramChannel> channelType;
    private final DestinationUrls.UdpTarget target;
    private final Executor resolver;
    private final int maxQueuedBytes;
    private final SrtPayloadMuxer muxer;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private volatile int queuedBytes;
    private volatile long sentBytes;
    private Channel channel;
    private InetSocketAddress remote;
    private ByteBuf pending;
    private long originNanos = Long.MIN_VALUE;
    private long frameDueNanos;
    private ScheduledFuture<?> timer;
    private boolean closed;
    private long drainDeadline;

    UdpTsDestination(EventLoop loop, Class<? extends DatagramChannel> channelType, DestinationUrls.UdpTarget target,
                     Executor resolver, int maxQueuedBytes, io.livehub.media.EgressForms forms) {
        this.muxer = TsPayloadFormat.INSTANCE.newMuxer(DATAGRAM_BYTES, forms);
        this.loop = loop;
        this.channelType = channelType;
        this.target = target;
        this.resolver = resolver;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public CompletionStage<Void> open() {
        CompletableFuture.supplyAsync(() -> new InetSocketAddress(target.host(), target.port()), resolver)
                .whenComplete((addr, t) -> loop.execute(() -> bind(addr, t)));
        return opened;
    }

    private void bind(InetSocketAddress addr, Throwable t) {
        if (t != null || addr.isUnresolved()) {
            opened.completeExceptionally(new IllegalStateException("cannot resolve " + target.host()));
            return;
        }
        if (closed) {
            opened.completeExceptionally(new IllegalStateException("closed"));
            return;
        }
        remote = addr;
        new Bootstrap().group(loop).channel(channelType)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        // A receiver has nothing to say to a TS sender.
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP port unreachable and the like: UDP goes on sending, as ffmpeg does.
                    }
                })
                .bind(addr.getAddress().isLoopbackAddress() ? addr.getAddress().getHostAddress() : "0.0.0.0", 0)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        opened.completeExceptionally(new IllegalStateException("cannot bind a UDP socket: "
                                + f.cause().getMessage(), f.cause()));
                        return;
                    }
                    channel = ((io.netty.channel.ChannelFuture) f).channel();
                    channel.closeFuture().addListener(g -> {
                        if (closed) {
                            closeFuture.complete(null);
                        } else {
                            closeFuture.completeExceptionally(new IllegalStateException("UDP socket closed"));
                        }
                    });
                    if (closed) {
                        channel.close();
                    }
                    opened.complete(null);
                });
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public void onPublish(LiveStream stream) {
        muxer.onPublish(stream);
    }

    @Override
    public void metadata(Map<String, Object> metadata) {
        // MPEG-TS carries no RTMP metadata; the PMT describes the tracks.
    }

    @Override
    public void send(MediaFrame frame) {
        try {
            if (closed || channel == null) {
                return;
            }
            long mediaNanos = frame.track().timebase().rescale(frame.dts(), NANOS);
            long now = System.nanoTime();
            if (originNanos == Long.MIN_VALUE || now - (originNanos + mediaNanos) > MAX_LATE_NANOS) {
                originNanos = now - mediaNanos;
            }
            frameDueNanos = originNanos + mediaNanos;
            muxer.encode(frame, this::append);
        } finally {
            frame.release();
        }
    }

    /** Collects the muxer's output into full datagrams. */
    private void append(ByteBuf ts) {
        try {
            while (ts.isReadable()) {
                if (pending == null) {
                    pending = channel.alloc().buffer(DATAGRAM_BYTES, DATAGRAM_BYTES);
                }
                int n = Math.min(ts.readableBytes(), pending.writableBytes());
                pending.writeBytes(ts, n);
                if (!pending.isWritable()) {
                    queue.add(new Datagram(frameDueNanos, pending));
                    queuedBytes += DATAGRAM_BYTES;
                    pending = null;
                }
            }
        } finally {
            ts.release();
        }
    }

    @Override
    public void flush() {
        drain();
    }

    private void drain() {
        if (channel == null) {
            return;
        }
        long now = System.nanoTime();
        boolean wrote = false;
        Datagram d;
        while ((d = queue.peek()) != null && d.dueNanos() <= now) {
            queue.poll();
            int n = d.bytes().readableBytes();
            queuedBytes -= n;
            sentBytes += n;
            channel.write(new DatagramPacket(d.bytes(), remote), channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        if (closed && (d == null || now >= drainDeadline)) {
            finish();
            return;
        }
        if (d != null && timer == null) {
            long at = closed ? Math.min(d.dueNanos(), drainDeadline) : d.dueNanos();
            long delay = Math.max(0, at - now);
            timer = loop.schedule(() -> {
                timer = null;
                drain();
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public boolean isWritable() {
        return queuedBytes < maxQueuedBytes;
    }

    @Override
    public long sentBytes() {
        return sentBytes;
    }

    /**
     * Stops taking frames and closes the socket once the datagrams already made have left at
     * their media time, so the receiver gets the last frames whole; past {@link #DRAIN_LIMIT}
     * what is left is dropped.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel == null) {
            closeFuture.complete(null);
            releaseQueued();
            muxer.close();
            return;
        }
        if (pending != null && pending.isReadable()) {
            queue.add(new Datagram(frameDueNanos, pending));
            queuedBytes += pending.readableBytes();
            pending = null;
        }
        drainDeadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        drain();
    }

    private void finish() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        releaseQueued();
        muxer.close();
        channel.close();
    }

    private void releaseQueued() {
        Datagram d;
        while ((d = queue.poll()) != null) {
            d.bytes().release();
        }
        queuedBytes = 0;
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}

package io.livehub.bench;

import io.livehub.FatalErrorHandler;
import io.livehub.hub.HubConfig;
import io.livehub.hub.Publication;
import io.livehub.hub.StreamHub;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.CodecId;
import io.livehub.media.EgressForm;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultEventExecutorChooserFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the hub's fan-out: one publisher, N subscribers, one 4 KiB video frame per
 * operation. Each subscriber takes the frame's shared encoded form as a retained duplicate,
 * as an egress writing to a channel would, and releases it. Run with {@code -prof gc}: the
 * steady-state allocation per operation, divided by N, is the allocation per frame per
 * subscriber.
 *
 * <p>The publisher runs on the benchmark thread (the hub accepts calls from the publisher's
 * executor only, so the benchmark thread is that executor); subscribers drain on two NIO
 * event loops, like a 2-core server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dio.netty.leakDetection.level=disabled"})
public class HubFanOutBenchmark {

    private static final io.livehub.media.EgressForms FORMS = new io.livehub.media.EgressForms();
    private static final EgressForm FORM = FORMS.of("bench-copy", (frame, alloc) -> {
        ByteBuf b = alloc.directBuffer(frame.content().readableBytes() + 11);
        b.writeZero(11);
        b.writeBytes(frame.content(), frame.content().readerIndex(), frame.content().readableBytes());
        return b;
    });

    @Param({"1", "100", "1000"})
    public int subscribers;

    /**
     * The loops' task queues: {@code netty}, Netty's own; {@code guarded}, a server's, which wraps each
     * task to end the process on an {@link Error} ({@link FatalErrorHandler#taskQueueFactory()}).
     */
    @Param({"netty", "guarded"})
    public String loopTasks;

    private final ThreadExecutor publisherExecutor = new ThreadExecutor();
    private EventLoopGroup loops;
    private StreamHub hub;
    private Publication publication;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private Track track;
    private long dts;
    private byte[] payload;

    @Setup(Level.Trial)
    public void setUp() {
        // Two I/O loops, like a 2-core server; their task queues are lock-free MPSC queues,
        // Netty's own or, as in a server, the fatal-error guard's, which wraps every task.
        loops = "guarded".equals(loopTasks)
                ? new NioEventLoopGroup(2, (Executor) null, DefaultEventExecutorChooserFactory.INSTANCE,
                        SelectorProvider.provider(), DefaultSelectStrategyFactory.INSTANCE,
                        RejectedExecutionHandlers.reject(), new FatalErrorHandler(false, null).taskQueueFactory())
                : new NioEventLoopGroup(2);
        // Window 0: the benchmark measures the hub's own cost per frame; with the default
        // merged-write window the publisher would wait for the window, not for the hub.
        hub = new StreamHub(HubConfig.builder().subscriberQueueFrames(4096).gopCacheFrames(0)
                .mergeWriteWindow(Duration.ZERO).build());
        StreamKey key = StreamKey.of("live", "bench");
        for (int i = 0; i < subscribers; i++) {
            EventExecutor loop = loops.next();
            subscriptions.add(hub.subscribe(key, new CountingSubscriber(loop, delivered)));
        }
        publisherExecutor.bind(Thread.currentThread());
        track = Track.builder(CodecId.H264).config(new byte[] {1, 100, 0, 31}).build();
        publication = hub.publish(key, publisherExecutor, "bench");
        payload = new byte[4096];
    }

    @Benchmark
    public void publishOneFrame() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(payload.length);
        buf.writeBytes(payload);
        // Every frame is a keyframe so a subscriber that fell behind resumes at once.
        publication.publish(MediaFrame.of(track, dts, dts, true, buf));
        dts += 33;
        // Keep the subscribers within their queue bound, as a real-time stream would.
        long sent = dts / 33 * subscribers;
        while (sent - delivered.get() > 2048L * subscribers / 2) {
            Thread.onSpinWait();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        publisherExecutor.bind(Thread.currentThread());
        publication.close();
        for (Subscription s : subscriptions) {
            s.close();
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
    }

    /** Takes the shared encoded form, as an egress writing it to a socket would, and drops it. */
    private static final class CountingSubscriber implements StreamSubscriber {
        private final EventExecutor loop;
        private final AtomicLong delivered;
        private long local;

        CountingSubscriber(EventExecutor loop, AtomicLong delivered) {
            this.loop = loop;
            this.delivered = delivered;
        }

        @Override
        public EventExecutor executor() {
            return loop;
        }

        @Override
        public void onFrame(MediaFrame frame) {
            ByteBuf wire = frame.encoded(FORM, ByteBufAllocator.DEFAULT).retainedDuplicate();
            wire.release();
            local++;
        }

        @Override
        public void onFlush() {
            delivered.addAndGet(local);
            local = 0;
        }
    }
}

package io.livehub.bench;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.ts.TsMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
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
 * Measures MPEG-TS muxing ({@link TsMuxer}): one H.264 frame (a single length-prefixed NAL
 * unit of the given size, one keyframe in 50) turned into PES and transport packets, as HLS
 * and SRT egress do once per frame and stream. The output buffer comes from the pooled
 * allocator and is released at once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class TsMuxerBenchmark {

    @Param({"4096", "65536"})
    public int payloadBytes;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private Track video;
    private TsMuxer muxer;
    private ByteBuf keyframe;
    private ByteBuf interframe;
    private long dts;
    private int n;

    @Setup(Level.Trial)
    public void setUp() {
        video = Track.builder(CodecId.H264).id(0).timebase(Timebase.MPEG_90K).build();
        muxer = TsMuxer.of(video);
        keyframe = nal(0x65);
        interframe = nal(0x41);
    }

    private ByteBuf nal(int header) {
        ByteBuf b = alloc.directBuffer(payloadBytes);
        b.writeInt(payloadBytes - 4);
        b.writeByte(header);
        b.writeZero(payloadBytes - 5);
        return b;
    }

    @Benchmark
    public int muxOneFrame() {
        boolean key = n++ % 50 == 0;
        ByteBuf payload = (key ? keyframe : interframe).retainedDuplicate();
        MediaFrame frame = MediaFrame.of(video, dts, dts, key, payload);
        dts += 3600;
        try {
            ByteBuf ts = muxer.write(frame, alloc);
            int size = ts.readableBytes();
            ts.release();
            return size;
        } finally {
            frame.release();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        keyframe.release();
        interframe.release();
    }
}

package io.livehub.bench;

import io.livehub.isobmff.Fragment;
import io.livehub.isobmff.FragmentBuilder;
import io.livehub.isobmff.IsoTrack;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
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
 * Measures fMP4 fragmenting ({@link FragmentBuilder}): one operation adds {@code frames}
 * 4 KiB H.264 frames (the first a keyframe) and writes them as one {@code moof}+{@code mdat}
 * fragment, as an LL-HLS part or a CMAF chunk; the fragment is released at once. Divide the
 * allocation per operation by {@code frames} for the cost per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class FragmentBuilderBenchmark {

    @Param({"1", "8"})
    public int frames;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private Track video;
    private FragmentBuilder builder;
    private ByteBuf payload;
    private long dts;

    @Setup(Level.Trial)
    public void setUp() {
        // The builder never reads a video track's configuration; this avcC only has to exist.
        video = Track.builder(CodecId.H264).id(0).timebase(Timebase.MPEG_90K).dimensions(1280, 720)
                .config(new byte[] {1, 0x64, 0, 0x1F, (byte) 0xFF, (byte) 0xE0, 0}).build();
        builder = new FragmentBuilder(IsoTrack.of(List.of(video)));
        payload = alloc.directBuffer(4096);
        payload.writeInt(4092);
        payload.writeByte(0x65);
        payload.writeZero(4091);
    }

    @Benchmark
    public int fragment() {
        for (int i = 0; i < frames; i++) {
            MediaFrame frame = MediaFrame.of(video, dts, dts, i == 0, payload.retainedDuplicate());
            dts += 3600;
            try {
                builder.add(frame);
            } finally {
                frame.release();
            }
        }
        Fragment f = builder.flush(alloc);
        if (f == null) {
            return 0;
        }
        int size = f.content().readableBytes();
        f.release();
        return size;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        builder.close();
        payload.release();
    }
}

package io.livehub.bench;

import io.livehub.rtmp.chunk.RtmpChunkWriter;
import io.livehub.rtmp.message.RtmpMessageType;
import io.netty.buffer.ByteBuf;
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
 * Measures building the shared RTMP chunk run of one video message (done once per frame and
 * stream, then written to every player), at the server's default chunk size and at the
 * RTMP default of 128.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class ChunkEncoderBenchmark {

    @Param({"4096", "128"})
    public int chunkSize;

    @Param({"4096", "65536"})
    public int payloadBytes;

    private ByteBuf payload;
    private long timestamp;

    @Setup(Level.Trial)
    public void setUp() {
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(payloadBytes);
        payload.writeZero(payloadBytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
    }

    @Benchmark
    public int encodeRun() {
        ByteBuf run = RtmpChunkWriter.encode(PooledByteBufAllocator.DEFAULT, RtmpMessageType.VIDEO, 1,
                timestamp += 33, payload, 6, chunkSize);
        int n = run.readableBytes();
        run.release();
        return n;
    }
}

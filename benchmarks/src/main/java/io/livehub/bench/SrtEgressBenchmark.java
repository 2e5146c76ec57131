package io.livehub.bench;

import io.livehub.media.MediaFrame;
import io.livehub.srt.SrtPayloadDemuxer;
import io.livehub.srt.SrtPayloadMuxer;
import io.livehub.srt.TsPayloadFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures the SRT player side without the SRT transport: one frame of a real H.264 + AAC
 * stream (from {@code -p tsFile=...}, demuxed at setup with the SRT ingest) given to the MPEG-TS
 * egress of {@code players} players, as the hub does, each payload consumed and released. The
 * frame is made afresh for every operation, as a published frame is, so a form shared by the
 * players is encoded once per operation. Divide the time per operation by {@code players} for
 * the cost per player and frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class SrtEgressBenchmark {

    private static final io.livehub.media.EgressForms FORMS = new io.livehub.media.EgressForms();

    @Param({"100"})
    public int players;

    /** An MPEG-TS file with H.264 and AAC; required. */
    @Param({""})
    public String tsFile;

    private final List<MediaFrame> frames = new ArrayList<>();
    private final List<SrtPayloadMuxer> muxers = new ArrayList<>();
    private Consumer<ByteBuf> sink;
    private int next;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) throws IOException {
        if (tsFile.isEmpty()) {
            throw new IllegalArgumentException("-p tsFile=... is required");
        }
        byte[] ts = Files.readAllBytes(Path.of(tsFile));
        SrtPayloadDemuxer demuxer = TsPayloadFormat.INSTANCE.newDemuxer();
        for (int i = 0; i + 1316 <= ts.length; i += 1316) {
            demuxer.decode(Unpooled.wrappedBuffer(ts, i, 1316), frames::add);
        }
        demuxer.close();
        sink = payload -> {
            bh.consume(payload.getByte(payload.readerIndex()));
            payload.release();
        };
        for (int i = 0; i < players; i++) {
            // Without onPublish the egress learns the tracks from the frames, as it does when it
            // joins before the publisher's tracks are known.
            muxers.add(TsPayloadFormat.INSTANCE.newMuxer(1316, FORMS));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        muxers.forEach(SrtPayloadMuxer::close);
        frames.forEach(MediaFrame::release);
    }

    @Benchmark
    public void frameToEveryPlayer() {
        MediaFrame original = frames.get(next);
        next = next + 1 == frames.size() ? 0 : next + 1;
        MediaFrame frame = MediaFrame.of(original.track(), original.dts(), original.pts(), original.isKeyframe(),
                original.content().retainedDuplicate());
        try {
            for (int i = 0; i < muxers.size(); i++) {
                muxers.get(i).encode(frame, sink);
            }
        } finally {
            frame.release();
        }
    }
}

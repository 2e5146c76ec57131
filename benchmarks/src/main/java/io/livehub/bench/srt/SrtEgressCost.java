package io.livehub.bench.srt;

import io.livehub.media.MediaFrame;
import io.livehub.srt.SrtPayloadDemuxer;
import io.livehub.srt.SrtPayloadMuxer;
import io.livehub.srt.TsPayloadFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Measures the CPU time the SRT player side spends per player and frame without the SRT
 * transport: every frame of an MPEG-TS file (demuxed with the SRT ingest) is made afresh, as a
 * published frame is, and given to the MPEG-TS egress of N players, whose payloads are read
 * and released. It reports the thread's CPU time (not wall time), which a machine shared with
 * other work disturbs far less than {@link io.livehub.bench.SrtEgressBenchmark}'s time per
 * operation.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.livehub.bench.srt.SrtEgressCost FILE.ts [players]
 * [rounds]}; prints one line per round (two passes over the file), the first rounds being
 * warm-up.
 *
 * <p>Thread-safety: {@link #main} only.
 */
public final class SrtEgressCost {

    private static final io.livehub.media.EgressForms FORMS = new io.livehub.media.EgressForms();

    private static long checksum;

    private SrtEgressCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SrtEgressCost FILE.ts [players] [rounds]");
            System.exit(2);
        }
        int players = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        byte[] ts = Files.readAllBytes(Path.of(args[0]));
        List<MediaFrame> frames = new ArrayList<>();
        SrtPayloadDemuxer demuxer = TsPayloadFormat.INSTANCE.newDemuxer();
        for (int i = 0; i + 1316 <= ts.length; i += 1316) {
            demuxer.decode(Unpooled.wrappedBuffer(ts, i, 1316), frames::add);
        }
        demuxer.close();
        List<SrtPayloadMuxer> muxers = new ArrayList<>();
        for (int i = 0; i < players; i++) {
            muxers.add(TsPayloadFormat.INSTANCE.newMuxer(1316, FORMS));
        }
        Consumer<ByteBuf> sink = p -> {
            checksum += p.getByte(p.readerIndex());
            p.release();
        };
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long n = 0;
            for (int pass = 0; pass < 2; pass++) {
                for (MediaFrame original : frames) {
                    MediaFrame f = MediaFrame.of(original.track(), original.dts(), original.pts(),
                            original.isKeyframe(), original.content().retainedDuplicate());
                    try {
                        for (int i = 0; i < muxers.size(); i++) {
                            muxers.get(i).encode(f, sink);
                        }
                    } finally {
                        f.release();
                    }
                    n++;
                }
            }
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            System.out.printf("round %d: %d frames x %d players: %.0f ns CPU per player and frame%n", round, n,
                    players, cpu / (double) (n * players));
        }
        muxers.forEach(SrtPayloadMuxer::close);
        frames.forEach(MediaFrame::release);
        System.out.println("checksum " + checksum);
    }
}

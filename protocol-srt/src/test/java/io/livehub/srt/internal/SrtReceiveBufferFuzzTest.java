package io.livehub.srt.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.srt.packet.SrtLossList;
import io.livehub.srt.packet.SrtSequence;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link SrtReceiveBuffer} with what a peer controls: the sequence numbers of data
 * packets (near the window, behind it, far beyond it, across the 31-bit wrap) and drop request
 * ranges (any two sequence numbers), interleaved with delivery at advancing times. Checks that
 * payloads come out once each, in sequence order, each with its own bytes; that the loss list
 * names only missing packets inside the window; that no operation walks more than the buffer;
 * and that every buffer is released.
 *
 * <p>Seeds live in {@code SrtReceiveBufferFuzzTestInputs/operations/} and run as regression
 * tests; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class SrtReceiveBufferFuzzTest {

    private static final int CAPACITY = 64;

    @FuzzTest(maxDuration = "60s")
    void operations(FuzzedDataProvider data) {
        // Masked: the decoder lets only 31-bit sequence numbers through, and the provider's
        // range arithmetic can return a negative int for a range this wide.
        int isn = data.consumeBoolean() ? SrtSequence.MAX - data.consumeInt(0, 40)
                : data.consumeInt(0, SrtSequence.MAX) & SrtSequence.MAX;
        SrtReceiveBuffer b = new SrtReceiveBuffer(CAPACITY, isn);
        List<ByteBuf> given = new ArrayList<>();
        List<Integer> delivered = new ArrayList<>();
        long now = 0;
        try {
            int ops = data.consumeInt(0, 200);
            for (int op = 0; op < ops && data.remainingBytes() > 0; op++) {
                switch (data.consumeInt(0, 3)) {
                    case 0, 1 -> {
                        int seq = sequence(data, isn);
                        ByteBuf p = Unpooled.buffer(4).writeInt(seq);
                        given.add(p);
                        b.insert(seq, p, now + data.consumeInt(0, 1000));
                    }
                    case 2 -> {
                        int first = sequence(data, isn);
                        int last = data.consumeBoolean() ? sequence(data, isn)
                                : SrtSequence.add(first, data.consumeInt(0, 100));
                        int before = SrtSequence.offset(b.headSequence(), b.ackSequence());
                        int n = b.drop(first, last);
                        check(n >= 0 && n <= CAPACITY, "drop gave up " + n + " in a buffer of " + CAPACITY);
                        check(SrtSequence.offset(b.headSequence(), b.ackSequence()) >= before, "ack went back");
                    }
                    default -> {
                        now += data.consumeInt(0, 500);
                        b.deliver(now, data.consumeBoolean(), p -> delivered.add(p.getInt(p.readerIndex())));
                    }
                }
                SrtLossList losses = b.losses(1000);
                check(losses.count() <= CAPACITY, "loss list of " + losses.count() + " in a buffer of " + CAPACITY + ": " + losses + ", head " + b.headSequence() + ", ack " + b.ackSequence() + ", available " + b.available());
                for (int r = 0; r < losses.rangeCount(); r++) {
                    check(SrtSequence.offset(b.ackSequence(), losses.first(r)) >= 0, "loss before ack: " + losses);
                }
                check(b.available() >= 0 && b.available() <= b.capacity(), "available " + b.available());
            }
            b.deliver(Long.MAX_VALUE / 2, true, p -> delivered.add(p.getInt(p.readerIndex())));
            for (int i = 1; i < delivered.size(); i++) {
                check(SrtSequence.offset(delivered.get(i - 1), delivered.get(i)) > 0,
                        "delivered out of order or twice: " + delivered);
            }
        } finally {
            b.release();
        }
        for (ByteBuf p : given) {
            check(p.refCnt() == 0, "a payload was not released");
        }
    }

    /** Picks a sequence number around the initial one: in the window, behind it, far off, or any. */
    private static int sequence(FuzzedDataProvider data, int isn) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> SrtSequence.add(isn, data.consumeInt(-10, CAPACITY + 10));
            case 1 -> SrtSequence.add(isn, data.consumeInt(0, 400));
            case 2 -> SrtSequence.add(isn, data.consumeInt(Integer.MIN_VALUE / 2, Integer.MAX_VALUE / 2));
            default -> data.consumeInt(0, SrtSequence.MAX) & SrtSequence.MAX;
        };
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}

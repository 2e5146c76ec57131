package io.livehub.rtmp.amf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.rtmp.message.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Fuzzes {@link Amf0Decoder} (and {@link Amf3Decoder} behind the avmplus marker). Only
 * {@link AmfException} may escape; whatever decodes must encode again and be printable and
 * hashable (no cycles, no runaway expansion); the input buffer must be released. Seeds live in
 * {@code Amf0DecoderFuzzTestInputs/decode} and run as regression tests under plain {@code mvn test}.
 */
class Amf0DecoderFuzzTest {

    @FuzzTest
    void decode(byte[] data) {
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf in = alloc.wrap(data);
        try {
            List<Object> values = new Amf0Decoder().readAll(in);
            ByteBuf out = alloc.buffer();
            try {
                Amf0Encoder.writeValues(out, values);
            } finally {
                out.release();
            }
            values.toString();
            values.hashCode();
        } catch (AmfException expected) {
            // malformed input is refused with the one documented exception
        } finally {
            in.release();
        }
        alloc.assertAllReleased();
    }
}

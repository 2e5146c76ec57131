package io.livehub.rtmp.amf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.rtmp.message.TrackingAllocator;
import io.netty.buffer.ByteBuf;

/**
 * Fuzzes {@link Amf3Decoder}. Only {@link AmfException} may escape; whatever decodes must encode
 * again and be printable and hashable; the input buffer must be released. Seeds live in
 * {@code Amf3DecoderFuzzTestInputs/decode} and run as regression tests under plain {@code mvn test}.
 */
class Amf3DecoderFuzzTest {

    @FuzzTest
    void decode(byte[] data) {
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf in = alloc.wrap(data);
        try {
            Amf3Decoder decoder = new Amf3Decoder();
            while (in.isReadable()) {
                Object value = decoder.readValue(in);
                ByteBuf out = alloc.buffer();
                try {
                    Amf3Encoder.writeValue(out, value);
                } catch (IllegalArgumentException e) {
                    // AMF3 cannot write an empty dynamic member name that a peer may send in an array key
                    if (!e.getMessage().contains("empty member name")) {
                        throw e;
                    }
                } finally {
                    out.release();
                }
                String.valueOf(value);
                java.util.Objects.hashCode(value);
            }
        } catch (AmfException expected) {
            // malformed input is refused with the one documented exception
        } finally {
            in.release();
        }
        alloc.assertAllReleased();
    }
}

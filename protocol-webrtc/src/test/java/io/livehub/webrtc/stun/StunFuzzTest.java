package io.livehub.webrtc.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link StunDecoder} on whole datagrams: only {@link MalformedMediaException} may
 * escape; what decodes encodes and decodes again to the same attributes, and checking its
 * integrity never throws.
 *
 * <p>Seeds live in {@code StunFuzzTestInputs/decode/} and run as regression tests in a plain
 * {@code mvn test}; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class StunFuzzTest {

    private static final StunDecoder DECODER = new StunDecoder(1500, 32);
    private static final byte[] KEY = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] datagram) {
        ByteBuf in = Unpooled.wrappedBuffer(datagram);
        StunMessage m;
        try {
            m = DECODER.decode(in);
        } catch (MalformedMediaException expected) {
            return;
        }
        StunDecoder.checkIntegrity(m, KEY);
        m.xorMappedAddress();
        m.username();
        m.priority();
        java.util.List<StunAttribute> plain = m.attributes().stream()
                .filter(a -> a.type() != StunAttribute.MESSAGE_INTEGRITY && a.type() != StunAttribute.FINGERPRINT)
                .toList();
        StunMessage again = DECODER.decode(Unpooled.wrappedBuffer(
                StunEncoder.encode(StunMessage.of(m.type(), m.transactionId(), plain), KEY, true)));
        if (!again.attributes().subList(0, plain.size()).equals(plain)) {
            throw new AssertionError("round trip changed " + m + " into " + again);
        }
        if (!StunDecoder.checkIntegrity(again, KEY)) {
            throw new AssertionError("a message we signed does not check: " + again);
        }
    }
}

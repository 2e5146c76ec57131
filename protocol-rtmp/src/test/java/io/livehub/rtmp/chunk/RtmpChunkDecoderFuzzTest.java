package io.livehub.rtmp.chunk;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.media.MalformedMediaException;
import io.livehub.rtmp.amf.AmfLimits;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpDataMessage;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpUserControlEvent;
import io.livehub.rtmp.message.TrackingAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

/**
 * Fuzzes {@link RtmpChunkDecoder} and the message parsers behind it. Only
 * {@link MalformedMediaException}s (wrapped in {@link DecoderException} by Netty) may escape the
 * decoder, and every buffer must be released. Seeds live in
 * {@code RtmpChunkDecoderFuzzTestInputs/decode} and run as regression tests under plain
 * {@code mvn test}; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class RtmpChunkDecoderFuzzTest {

    private static final RtmpChunkConfig CONFIG = RtmpChunkConfig.builder()
            .maxMessageLength(64 * 1024).maxPendingBytes(128 * 1024).maxChunkStreams(16).build();

    @FuzzTest
    void decode(byte[] data) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new RtmpChunkDecoder(CONFIG));
        // Two reads, so that chunks also arrive split.
        int split = data.length / 2;
        try {
            ch.writeInbound(alloc.wrap(java.util.Arrays.copyOfRange(data, 0, split)));
            drain(ch);
            if (ch.isOpen()) {
                ch.writeInbound(alloc.wrap(java.util.Arrays.copyOfRange(data, split, data.length)));
            }
        } catch (DecoderException e) {
            if (!(e.getCause() instanceof MalformedMediaException)) {
                throw e;
            }
        } finally {
            drain(ch);
            ch.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
    }

    private static void drain(EmbeddedChannel ch) {
        for (Object o; (o = ch.readInbound()) != null; ) {
            RtmpMessage m = (RtmpMessage) o;
            try {
                parse(m);
            } catch (MalformedMediaException expected) {
                // the session would close the connection
            } finally {
                m.release();
            }
        }
    }

    private static void parse(RtmpMessage m) {
        switch (m.typeId()) {
            case RtmpMessageType.AMF0_COMMAND, RtmpMessageType.AMF3_COMMAND -> RtmpCommand.decode(m, AmfLimits.DEFAULT).toString();
            case RtmpMessageType.AMF0_DATA, RtmpMessageType.AMF3_DATA -> RtmpDataMessage.decode(m).toString();
            case RtmpMessageType.USER_CONTROL -> RtmpUserControlEvent.parse(m);
            default -> {
            }
        }
    }
}

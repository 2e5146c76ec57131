package io.livehub.rtmp.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtmpAggregateTest {

    private static final byte[] TWO_SUB_MESSAGES = {
        // sub-message 1: type 9 (video), size 2, timestamp 1000 (0x0003e8, ext 0), stream id 0
        0x09, 0x00, 0x00, 0x02, 0x00, 0x03, (byte) 0xe8, 0x00, 0x00, 0x00, 0x00,
        0x17, 0x01,                      // body
        0x00, 0x00, 0x00, 0x0d,          // back pointer: 11 + 2
        // sub-message 2: type 8 (audio), size 1, timestamp 1040 (0x000410)
        0x08, 0x00, 0x00, 0x01, 0x00, 0x04, 0x10, 0x00, 0x00, 0x00, 0x00,
        (byte) 0xaf,                     // body
        0x00, 0x00, 0x00, 0x0c,          // back pointer: 11 + 1
    };

    @Test
    void splitsSubMessagesWithTimestampsRelativeToTheAggregate() {
        RtmpMessage m = new RtmpMessage(RtmpMessageType.AGGREGATE, 1, 5000, 6, Unpooled.wrappedBuffer(TWO_SUB_MESSAGES));
        List<String> seen = new ArrayList<>();
        try {
            RtmpAggregate.forEach(m, (type, ts, body) -> seen.add(type + "@" + ts + ":" + ByteBufUtil.hexDump(body)));
            assertEquals(List.of("9@5000:1701", "8@5040:af"), seen);
            assertEquals(0, m.content().readerIndex(), "the aggregate's indexes do not move");
        } finally {
            m.release();
        }
    }

    @Test
    void aSubMessageOverrunningTheAggregateIsRefused() {
        byte[] bad = TWO_SUB_MESSAGES.clone();
        bad[3] = 0x7f; // size 127
        RtmpMessage m = new RtmpMessage(RtmpMessageType.AGGREGATE, 1, 0, 6, Unpooled.wrappedBuffer(bad));
        try {
            assertThrows(MalformedMediaException.class, () -> RtmpAggregate.forEach(m, (t, ts, b) -> { }));
        } finally {
            m.release();
        }
    }
}

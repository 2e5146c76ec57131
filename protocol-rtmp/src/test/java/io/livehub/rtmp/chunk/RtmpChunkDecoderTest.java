package io.livehub.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.rtmp.amf.AmfObject;
import io.livehub.rtmp.message.Hex;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RtmpChunkDecoderTest {

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<Object> events = new ArrayList<>();
    private EmbeddedChannel ch;

    @AfterEach
    void noLeaks() {
        if (ch != null) {
            for (Object o; (o = ch.readInbound()) != null; ) {
                ((RtmpMessage) o).release();
            }
            ch.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
    }

    private EmbeddedChannel channel(RtmpChunkConfig config) {
        ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new RtmpChunkDecoder(config), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        return ch;
    }

    private EmbeddedChannel channel() {
        return channel(RtmpChunkConfig.DEFAULT);
    }

    private void feed(String annotatedHex) {
        ch.writeInbound(alloc.wrap(Hex.bytes(annotatedHex)));
    }

    private void feedByteByByte(byte[] bytes) {
        for (byte b : bytes) {
            ch.writeInbound(alloc.wrap(new byte[] {b}));
        }
    }

    private RtmpMessage read() {
        Object o = ch.readInbound();
        return assertInstanceOf(RtmpMessage.class, o, "expected a message");
    }

    private static void assertMessage(RtmpMessage m, int csid, int type, int msid, long ts, String payloadHex) {
        try {
            assertEquals(csid, m.chunkStreamId(), "csid");
            assertEquals(type, m.typeId(), "type");
            assertEquals(msid, m.messageStreamId(), "msid");
            assertEquals(ts, m.timestamp(), "timestamp");
            assertEquals(payloadHex.replace(" ", ""), Hex.of(m.content()), "payload");
        } finally {
            m.release();
        }
    }

    private static String repeat(String hexByte, int n) {
        return hexByte.repeat(n);
    }

    static final String TYPE0_SINGLE = """
            03              # basic header: fmt 0, csid 3
            000064          # timestamp 100
            000004          # message length 4
            14              # type 20, AMF0 command
            01000000        # message stream id 1, little-endian
            01020304        # payload
            """;

    @Test
    void type0SingleChunk() {
        channel();
        feed(TYPE0_SINGLE);
        assertMessage(read(), 3, 20, 1, 100, "01020304");
        assertNull(ch.readInbound());
    }

    @Test
    void wholeStreamByteByByteGivesTheSameMessages() {
        channel();
        feedByteByByte(Hex.bytes(TYPE0_SINGLE + DELTAS));
        assertMessage(read(), 3, 20, 1, 100, "01020304");
        assertMessage(read(), 6, 9, 1, 1000, "aabb");
        assertMessage(read(), 6, 9, 1, 1040, "010203");
        assertMessage(read(), 6, 9, 1, 1060, "040506");
        assertMessage(read(), 6, 9, 1, 1080, "070809");
    }

    @Test
    void messageSplitIntoChunks() {
        channel();
        feed("""
                04              # fmt 0, csid 4
                000000          # timestamp 0
                0000c8          # length 200
                08              # type 8, audio
                01000000        # msid 1
                """ + repeat("11", 128) + """
                c4              # fmt 3, csid 4: continuation
                """ + repeat("22", 72));
        assertMessage(read(), 4, 8, 1, 0, repeat("11", 128) + repeat("22", 72));
    }

    static final String DELTAS = """
            06 0003e8 000002 09 01000000 aabb   # fmt 0, csid 6, ts 1000, len 2, video, msid 1
            46 000028 000003 09 010203          # fmt 1, csid 6, delta 40, len 3, video
            86 000014 040506                    # fmt 2, csid 6, delta 20
            c6 070809                           # fmt 3, csid 6: new message, same delta 20
            """;

    @Test
    void headerTypes1To3AccumulateDeltas() {
        channel();
        feed(DELTAS);
        assertMessage(read(), 6, 9, 1, 1000, "aabb");
        assertMessage(read(), 6, 9, 1, 1040, "010203");
        assertMessage(read(), 6, 9, 1, 1060, "040506");
        assertMessage(read(), 6, 9, 1, 1080, "070809");
    }

    @Test
    void type3AfterType0RepeatsTheType0Timestamp() {
        // FFmpeg and SRS take the type 0 timestamp as the delta of a following type 3 message.
        channel();
        feed("""
                05 00000a 000001 12 01000000 aa    # fmt 0, csid 5, ts 10, len 1, AMF0 data
                c5 bb                              # fmt 3: new message, delta 10
                """);
        assertMessage(read(), 5, 18, 1, 10, "aa");
        assertMessage(read(), 5, 18, 1, 20, "bb");
    }

    @Test
    void timestampDeltasWrapAt32Bits() {
        channel();
        feed("""
                06 ffffff 000001 09 01000000 fffffff0 aa   # fmt 0, extended timestamp 0xfffffff0
                86 000020 bb                               # fmt 2, delta 0x20: wraps to 0x10
                """);
        assertMessage(read(), 6, 9, 1, 0xFFFF_FFF0L, "aa");
        assertMessage(read(), 6, 9, 1, 0x10, "bb");
    }

    @Test
    void extendedTimestampRepeatedOnContinuation() {
        channel();
        feed("""
                06              # fmt 0, csid 6
                ffffff          # timestamp marker: extended timestamp follows
                0000c8          # length 200
                09              # video
                01000000        # msid 1
                01000000        # extended timestamp 0x01000000 (16777216)
                """ + repeat("11", 128) + """
                c6              # fmt 3 continuation
                01000000        # extended timestamp repeated, as RTMP spec §5.3.1.3 says
                """ + repeat("22", 72));
        assertMessage(read(), 6, 9, 1, 0x0100_0000L, repeat("11", 128) + repeat("22", 72));
    }

    @Test
    void extendedTimestampNotRepeatedOnContinuation() {
        channel();
        feed("""
                06 ffffff 0000c8 09 01000000 01000000   # fmt 0, csid 6, extended ts 0x01000000, len 200
                """ + repeat("11", 128) + """
                c6              # fmt 3 continuation without the extended timestamp (older librtmp)
                """ + repeat("22", 72));
        assertMessage(read(), 6, 9, 1, 0x0100_0000L, repeat("11", 128) + repeat("22", 72));
    }

    @Test
    void extendedTimestampOnType3NewMessage() {
        channel();
        feed("""
                46 ffffff 000001 09 01000000 aa     # (csid 6 needs a type 0 first, see below)
                """.replace("46 ffffff 000001 09 01000000 aa", "06 000000 000001 09 01000000 aa")
                + """
                86 ffffff 01000000 bb                # fmt 2, extended delta 0x01000000
                c6 01000000 cc                       # fmt 3 new message: extended delta again
                """);
        assertMessage(read(), 6, 9, 1, 0, "aa");
        assertMessage(read(), 6, 9, 1, 0x0100_0000L, "bb");
        assertMessage(read(), 6, 9, 1, 0x0200_0000L, "cc");
    }

    @Test
    void interleavedChunkStreams() {
        channel();
        feed("""
                04 000000 0000c8 09 01000000        # csid 4: video of 200 bytes starts
                """ + repeat("11", 128) + """
                05 000000 000002 08 01000000 abcd   # csid 5: a whole audio message in between
                c4                                  # csid 4 continues
                """ + repeat("22", 72));
        assertMessage(read(), 5, 8, 1, 0, "abcd");
        assertMessage(read(), 4, 9, 1, 0, repeat("11", 128) + repeat("22", 72));
    }

    @Test
    void setChunkSizeAppliesToFollowingChunks() {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(decoder);
        feed("""
                02 000000 000004 01 00000000 00000100   # Set Chunk Size 256 on csid 2
                04 000000 000100 09 01000000            # csid 4: video of 256 bytes, one chunk now
                """ + repeat("33", 256));
        RtmpMessage scs = read();
        assertEquals(RtmpMessageType.SET_CHUNK_SIZE, scs.typeId());
        scs.release();
        assertEquals(256, decoder.chunkSize());
        assertMessage(read(), 4, 9, 1, 0, repeat("33", 256));
    }

    @Test
    void abortDropsThePartialMessage() {
        channel();
        feed("""
                04 000000 0000c8 09 01000000            # csid 4: video of 200 bytes starts
                """ + repeat("11", 128) + """
                02 000000 000004 02 00000000 00000004   # Abort chunk stream 4
                04 000000 000001 09 01000000 ee         # csid 4: a new message with a type 0 header
                """);
        RtmpMessage abort = read();
        assertEquals(RtmpMessageType.ABORT, abort.typeId());
        abort.release();
        assertMessage(read(), 4, 9, 1, 0, "ee");
    }

    @Test
    void basicHeaderForms() {
        channel();
        feed("""
                00 00    000000 000001 09 01000000 01    # fmt 0, two-byte form: csid 64 + 0 = 64
                00 ff    000000 000001 09 01000000 02    # csid 64 + 255 = 319
                01 0001  000000 000001 09 01000000 03    # three-byte form: csid 64 + 0 + 1 * 256 = 320
                01 ffff  000000 000001 09 01000000 04    # csid 64 + 255 + 255 * 256 = 65599
                3f       000000 000001 09 01000000 05    # one-byte form: csid 63
                c0 00    06                              # fmt 3 on csid 64
                """);
        assertMessage(read(), 64, 9, 1, 0, "01");
        assertMessage(read(), 319, 9, 1, 0, "02");
        assertMessage(read(), 320, 9, 1, 0, "03");
        assertMessage(read(), 65599, 9, 1, 0, "04");
        assertMessage(read(), 63, 9, 1, 0, "05");
        assertMessage(read(), 64, 9, 1, 0, "06");
    }

    @Test
    void zeroLengthMessage() {
        channel();
        feed("03 000000 000000 14 00000000");
        assertMessage(read(), 3, 20, 0, 0, "");
    }

    @Test
    void decodesFfmpegConnect() throws IOException {
        channel();
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("ffmpeg-connect-chunks.bin")) {
            bytes = in.readAllBytes();
        }
        ch.writeInbound(alloc.wrap(bytes));
        RtmpMessage m = read();
        assertEquals(3, m.chunkStreamId());
        assertEquals(RtmpMessageType.AMF0_COMMAND, m.typeId());
        assertEquals(140, m.content().readableBytes());
        RtmpCommand connect = RtmpCommand.decode(m);
        m.release();
        assertEquals("connect", connect.name());
        assertEquals(1.0, connect.transactionId());
        AmfObject o = connect.commandObjectOrEmpty();
        assertEquals("live", o.string("app"));
        assertEquals("rtmp://127.0.0.1:19350/live", o.string("tcUrl"));
    }

    @Test
    void acknowledgementDueEvent() {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        channel();
        ch.pipeline().replace(RtmpChunkDecoder.class, "decoder", decoder);
        feed("02 000000 000004 05 00000000 00000020");   // Window Acknowledgement Size 32: 16 bytes
        read().release();
        assertEquals(32, decoder.windowAckSize());
        assertTrue(events.isEmpty());
        feed("03 000000 000004 14 00000000 01020304");   // 16 more bytes: 32 in all
        read().release();
        assertEquals(List.of(new RtmpAcknowledgementDueEvent(32)), events);
        assertEquals(32, decoder.bytesReceived());
    }

    private void assertRejected(String annotatedHex, String messagePart) {
        DecoderException e = assertThrows(DecoderException.class, () -> feed(annotatedHex));
        RtmpChunkException cause = assertInstanceOf(RtmpChunkException.class, e.getCause());
        assertTrue(cause.getMessage().contains(messagePart), cause.getMessage());
        assertFalse(ch.isOpen(), "the decoder closes the connection");
        assertNull(ch.readInbound());
    }

    @Test
    void refusesChunkSize2To31() {
        channel();
        assertRejected("02 000000 000004 01 00000000 80000000", "outside 1..2147483647");
    }

    @Test
    void refusesChunkSizeZero() {
        channel();
        assertRejected("02 000000 000004 01 00000000 00000000", "outside");
    }

    @Test
    void refusesChunkSizeAboveConfiguredLimit() {
        channel();
        assertRejected("02 000000 000004 01 00000000 00010001", "exceeds the limit of 65536");
    }

    @Test
    void refusesMessageLongerThanLimit() {
        channel(RtmpChunkConfig.builder().maxMessageLength(1000).build());
        assertRejected("04 000000 0003e9 09 01000000", "message of 1001 bytes");
    }

    @Test
    void refusesDefaultMessageLimitBeforeReadingPayload() {
        channel();
        // 16 MiB - 1 announced, nothing sent: refused at the header, nothing reserved.
        int before = alloc.allocated();
        assertRejected("04 000000 ffffff 09 01000000", "exceeds the limit of 8388608");
        assertEquals(before + 1, alloc.allocated(), "only the input buffer");
    }

    @Test
    void refusesFirstChunkWithoutType0Header() {
        channel();
        assertRejected("44 000000 000001 09 aa", "starts with a type 1 header");
    }

    @Test
    void refusesNewHeaderWhileMessagePending() {
        channel();
        assertRejected("04 000000 0000c8 09 01000000" + repeat("11", 128) + "84 000000 aa", "pending");
    }

    @Test
    void refusesTooManyChunkStreams() {
        channel(RtmpChunkConfig.builder().maxChunkStreams(2).build());
        feed("03 000000 000001 09 01000000 aa 04 000000 000001 09 01000000 bb");
        read().release();
        read().release();
        assertRejected("05 000000 000001 09 01000000 cc", "more than 2 chunk streams");
    }

    @Test
    void refusesTooManyPendingBytes() {
        channel(RtmpChunkConfig.builder().maxPendingBytes(200).build());
        assertRejected("04 000000 0000c8 09 01000000" + repeat("11", 128)
                + "05 000000 0000c8 09 01000000" + repeat("22", 128), "incomplete messages");
    }
}

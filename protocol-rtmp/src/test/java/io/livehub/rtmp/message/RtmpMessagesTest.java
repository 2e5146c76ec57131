package io.livehub.rtmp.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.rtmp.amf.AmfEcmaArray;
import io.livehub.rtmp.amf.AmfException;
import io.livehub.rtmp.amf.AmfObject;
import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RtmpMessagesTest {

    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void noLeaks() {
        alloc.assertAllReleased();
    }

    private RtmpMessage message(int type, String annotatedHex) {
        return new RtmpMessage(type, 0, 0, 3, alloc.wrap(Hex.bytes(annotatedHex)));
    }

    @Test
    void protocolControlGolden() {
        RtmpMessage m = RtmpProtocolControl.setChunkSize(alloc, 4096);
        assertEquals(RtmpMessageType.SET_CHUNK_SIZE, m.typeId());
        assertEquals(2, m.chunkStreamId());
        assertEquals("00001000", Hex.of(m.content()));
        assertEquals(4096, RtmpProtocolControl.readChunkSize(m));
        m.release();

        m = RtmpProtocolControl.setPeerBandwidth(alloc, 2_500_000, RtmpProtocolControl.LIMIT_DYNAMIC);
        assertEquals("002625a0" + "02", Hex.of(m.content()));       // window 2500000, limit type dynamic
        assertEquals(2_500_000, RtmpProtocolControl.readWindowSize(m));
        assertEquals(2, RtmpProtocolControl.readLimitType(m));
        m.release();

        m = RtmpProtocolControl.acknowledgement(alloc, 0xFFFF_FFF0L);
        assertEquals("fffffff0", Hex.of(m.content()));
        assertEquals(0xFFFF_FFF0L, RtmpProtocolControl.readAcknowledgement(m));
        m.release();

        m = RtmpProtocolControl.windowAckSize(alloc, 5_000_000);
        assertEquals(5_000_000, RtmpProtocolControl.readWindowSize(m));
        m.release();

        m = RtmpProtocolControl.abort(alloc, 6);
        assertEquals(6, RtmpProtocolControl.readAbortChunkStreamId(m));
        m.release();
    }

    @Test
    void refusesBadChunkSizes() {
        for (String hex : List.of("00000000", "80000000", "ffffffff", "0010")) {
            RtmpMessage m = message(RtmpMessageType.SET_CHUNK_SIZE, hex);
            assertThrows(RtmpMessageException.class, () -> RtmpProtocolControl.readChunkSize(m), hex);
            m.release();
        }
        assertThrows(IllegalArgumentException.class, () -> RtmpProtocolControl.setChunkSize(alloc, 0));
    }

    @Test
    void userControlGolden() {
        record Case(RtmpUserControlEvent event, String hex) {
        }
        for (Case c : List.of(
                new Case(RtmpUserControlEvent.streamBegin(1), "0000 00000001"),           // StreamBegin, stream 1
                new Case(RtmpUserControlEvent.streamEof(1), "0001 00000001"),
                new Case(RtmpUserControlEvent.streamDry(1), "0002 00000001"),
                new Case(RtmpUserControlEvent.setBufferLength(1, 3000), "0003 00000001 00000bb8"), // 3000 ms
                new Case(RtmpUserControlEvent.streamIsRecorded(1), "0004 00000001"),
                new Case(RtmpUserControlEvent.pingRequest(0xCAFEBABEL), "0006 cafebabe"),
                new Case(RtmpUserControlEvent.pingResponse(0xCAFEBABEL), "0007 cafebabe"))) {
            RtmpMessage m = c.event().toMessage(alloc, 0);
            assertEquals(RtmpMessageType.USER_CONTROL, m.typeId());
            assertEquals(c.hex().replace(" ", ""), Hex.of(m.content()));
            assertEquals(c.event(), RtmpUserControlEvent.parse(m));
            m.release();
        }
        RtmpMessage shortOne = message(RtmpMessageType.USER_CONTROL, "0003 00000001");   // SetBufferLength without length
        assertThrows(RtmpMessageException.class, () -> RtmpUserControlEvent.parse(shortOne));
        shortOne.release();
        RtmpMessage unknown = message(RtmpMessageType.USER_CONTROL, "001a");             // SWF verify request, no data
        assertEquals(new RtmpUserControlEvent(26, 0, 0), RtmpUserControlEvent.parse(unknown));
        unknown.release();
    }

    @Test
    void commandRoundTrip() {
        RtmpCommand c = RtmpCommand.of("_result", 1, new AmfObject().with("fmsVer", "FMS/3,0,1,123"),
                new AmfObject().with("level", "status").with("code", "NetConnection.Connect.Success"));
        RtmpMessage m = c.toMessage(alloc, 0);
        assertEquals(RtmpMessageType.AMF0_COMMAND, m.typeId());
        int before = m.content().readerIndex();
        RtmpCommand back = RtmpCommand.decode(m);
        assertEquals(before, m.content().readerIndex(), "decode must not move the reader index");
        assertEquals(c, back);
        assertEquals("NetConnection.Connect.Success", ((AmfObject) back.argument(0)).string("code"));
        m.release();
    }

    @Test
    void decodesAmf3CommandWithFormatByteAndAvmplus() {
        RtmpMessage m = message(RtmpMessageType.AMF3_COMMAND, """
                00                         # AMF3 command format byte
                02 0004 706c6179           # "play"
                00 0000000000000000        # transaction id 0
                05                         # command object null
                11 06 09 74657374          # avmplus, AMF3 string "test"
                """);
        RtmpCommand c = RtmpCommand.decode(m);
        assertEquals("play", c.name());
        assertEquals(0, c.transactionId());
        assertNull(c.commandObject());
        assertEquals("test", c.stringArgument(0));
        m.release();
    }

    @Test
    void refusesCommandsWithoutName() {
        RtmpMessage m = message(RtmpMessageType.AMF0_COMMAND, "00 3ff0000000000000");
        assertThrows(RtmpMessageException.class, () -> RtmpCommand.decode(m));
        m.release();
        RtmpMessage bad = message(RtmpMessageType.AMF0_COMMAND, "02 0003 616263 02 0000");
        assertThrows(RtmpMessageException.class, () -> RtmpCommand.decode(bad));   // transaction id is a string
        bad.release();
        RtmpMessage truncated = message(RtmpMessageType.AMF0_COMMAND, "02 0009 61");
        assertThrows(AmfException.class, () -> RtmpCommand.decode(truncated));
        truncated.release();
    }

    @Test
    void setDataFrameUnwraps() {
        RtmpDataMessage d = new RtmpDataMessage(RtmpDataMessage.SET_DATA_FRAME,
                List.of(RtmpDataMessage.ON_META_DATA, new AmfEcmaArray().with("width", 1280.0).with("height", 720.0)));
        RtmpMessage m = d.toMessage(alloc, 1, 0);
        assertEquals(RtmpMessageType.AMF0_DATA, m.typeId());
        RtmpDataMessage back = RtmpDataMessage.decode(m);
        assertEquals(d, back);
        assertTrue(back.isSetDataFrame());
        RtmpDataMessage meta = back.unwrapSetDataFrame();
        assertEquals("onMetaData", meta.name());
        assertInstanceOf(AmfEcmaArray.class, meta.firstMap());
        assertEquals(720.0, meta.firstMap().get("height"));
        m.release();

        RtmpMessage amf3 = message(RtmpMessageType.AMF3_DATA, "00 02 000a 6f6e4d65746144617461 05");   // format byte, "onMetaData", null
        RtmpDataMessage a3 = RtmpDataMessage.decode(amf3);
        assertEquals("onMetaData", a3.name());
        assertEquals(1, a3.values().size());
        amf3.release();
    }

    @Test
    void messageFields() {
        ByteBuf b = alloc.buffer(1).writeByte(1);
        RtmpMessage m = new RtmpMessage(RtmpMessageType.VIDEO, 1, RtmpMessage.TIMESTAMP_MAX, 65599, b);
        assertEquals(0xFFFF_FFFFL, m.timestamp());
        RtmpMessage d = m.retainedDuplicate();
        assertEquals(65599, d.chunkStreamId());
        d.release();
        m.release();
        ByteBuf c = alloc.buffer(1);
        assertThrows(IllegalArgumentException.class, () -> new RtmpMessage(9, 1, -1, 3, c));
        assertThrows(IllegalArgumentException.class, () -> new RtmpMessage(9, 1, 0x1_0000_0000L, 3, c));
        assertThrows(IllegalArgumentException.class, () -> new RtmpMessage(9, 1, 0, 1, c));
        c.release();
    }
}

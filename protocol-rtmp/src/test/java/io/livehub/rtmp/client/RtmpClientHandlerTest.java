package io.livehub.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.flv.FlvMediaEncoder;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.rtmp.amf.AmfObject;
import io.livehub.rtmp.chunk.RtmpChunkDecoder;
import io.livehub.rtmp.chunk.RtmpChunkEncoder;
import io.livehub.rtmp.chunk.RtmpChunkWriter;
import io.livehub.rtmp.handshake.RtmpHandshakeCompletedEvent;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.livehub.rtmp.message.RtmpUserControlEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the client's command flow (RTMP spec §7.2) on an {@link EmbeddedChannel}, playing the
 * server by hand: what the client sends at each step, and how it answers protocol control.
 */
class RtmpClientHandlerTest {

    private static final RtmpUrl URL = RtmpUrl.parse("rtmp://example.com/live/cam?k=v");

    private final EmbeddedChannel client = new EmbeddedChannel();
    /** Reads back what the client sent, as the server's chunk decoder would. */
    private final EmbeddedChannel server = new EmbeddedChannel(new RtmpChunkDecoder());
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private long fedBytes;

    @AfterEach
    void finish() {
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    private RtmpPlaySession play(RtmpPlayListener listener) {
        RtmpPlaySession s = new RtmpPlaySession(client, URL);
        RtmpClientHandler h = RtmpClientHandler.forPlay(RtmpClientConfig.DEFAULT, URL, s, listener, started);
        s.handler(h);
        client.pipeline().addLast(new RtmpChunkDecoder(), new RtmpChunkEncoder(), h);
        client.pipeline().fireUserEventTriggered(new RtmpHandshakeCompletedEvent(false, 0));
        return s;
    }

    private RtmpPublishSession publish() {
        RtmpPublishSession s = new RtmpPublishSession(client, URL);
        RtmpClientHandler h = RtmpClientHandler.forPublish(RtmpClientConfig.DEFAULT, URL, s, started);
        s.handler(h);
        client.pipeline().addLast(new RtmpChunkDecoder(), new RtmpChunkEncoder(), h);
        client.pipeline().fireUserEventTriggered(new RtmpHandshakeCompletedEvent(false, 0));
        return s;
    }

    /** Sends a message from the server, chunked at the default 128 bytes. Takes its reference. */
    private void fromServer(RtmpMessage m) {
        ByteBuf b = RtmpChunkWriter.encode(client.alloc(), m, RtmpProtocolControl.DEFAULT_CHUNK_SIZE);
        m.release();
        fedBytes += b.readableBytes();
        client.writeInbound(b);
    }

    private void command(int streamId, String name, double tid, Object object, Object... args) {
        fromServer(RtmpCommand.of(name, tid, object, args).toMessage(client.alloc(), streamId));
    }

    private void status(String level, String code) {
        command(1, "onStatus", 0, null, new AmfObject().with("level", level).with("code", code)
                .with("description", code + " said the server"));
    }

    /** Returns the messages the client sent since the last call; the caller releases them. */
    private List<RtmpMessage> sent() {
        Object o;
        while ((o = client.readOutbound()) != null) {
            server.writeInbound(o);
        }
        List<RtmpMessage> out = new ArrayList<>();
        while ((o = server.readInbound()) != null) {
            out.add((RtmpMessage) o);
        }
        return out;
    }

    /** Returns the commands the client sent since the last call, releasing every message. */
    private List<RtmpCommand> sentCommands(List<RtmpMessage> keepOthers) {
        List<RtmpCommand> out = new ArrayList<>();
        for (RtmpMessage m : sent()) {
            try {
                if (m.typeId() == RtmpMessageType.AMF0_COMMAND) {
                    out.add(RtmpCommand.decode(m));
                } else if (keepOthers != null) {
                    keepOthers.add(m.retain());
                }
            } finally {
                m.release();
            }
        }
        return out;
    }

    @Test
    void playFlowAnswersProtocolControlAndDeliversMedia() {
        FrameCollector got = new FrameCollector();
        RtmpPlaySession session = play(got);

        List<RtmpMessage> control = new ArrayList<>();
        List<RtmpCommand> cmds = sentCommands(control);
        assertEquals(1, control.size());
        assertEquals(RtmpMessageType.SET_CHUNK_SIZE, control.get(0).typeId());
        assertEquals(4096, RtmpProtocolControl.readChunkSize(control.get(0)));
        control.forEach(RtmpMessage::release);
        assertEquals(1, cmds.size());
        RtmpCommand connect = cmds.get(0);
        assertEquals("connect", connect.name());
        assertEquals(1.0, connect.transactionId());
        AmfObject o = connect.commandObjectOrEmpty();
        assertEquals("live", o.get("app"));
        assertEquals("rtmp://example.com/live", o.get("tcUrl"));
        assertEquals("nonprivate", o.get("type"));
        assertEquals(RtmpClientConfig.PLAY_FLASH_VERSION, o.get("flashVer"));
        assertEquals(List.of("hvc1", "av01", "vp09"), o.get("fourCcList"));

        fromServer(RtmpProtocolControl.setPeerBandwidth(client.alloc(), 5_000_000, RtmpProtocolControl.LIMIT_DYNAMIC));
        command(0, "_result", 1, new AmfObject().with("fmsVer", "FMS/3,5,3,888"),
                new AmfObject().with("level", "status").with("code", "NetConnection.Connect.Success"));
        control.clear();
        cmds = sentCommands(control);
        assertEquals(1, control.size());
        assertEquals(RtmpMessageType.WINDOW_ACK_SIZE, control.get(0).typeId(), "answers Set Peer Bandwidth");
        assertEquals(5_000_000, RtmpProtocolControl.readWindowSize(control.get(0)));
        control.forEach(RtmpMessage::release);
        assertEquals(List.of("createStream"), cmds.stream().map(RtmpCommand::name).toList());
        assertEquals(2.0, cmds.get(0).transactionId());

        command(0, "_result", 2, null, 1.0);
        control.clear();
        cmds = sentCommands(control);
        assertEquals(1, control.size());
        RtmpUserControlEvent buffer = RtmpUserControlEvent.parse(control.get(0));
        control.forEach(RtmpMessage::release);
        assertEquals(RtmpUserControlEvent.SET_BUFFER_LENGTH, buffer.eventType());
        assertEquals(1, buffer.value());
        assertEquals(3000, buffer.bufferLengthMillis());
        assertEquals(1, cmds.size());
        assertEquals("play", cmds.get(0).name());
        assertEquals(List.of("cam?k=v", -2.0), cmds.get(0).arguments());

        status("status", "NetStream.Play.Reset");
        assertFalse(started.isDone());
        status("status", "NetStream.Play.Start");
        assertTrue(started.isDone() && !started.isCompletedExceptionally());
        assertTrue(session.isOpen());
        assertEquals(1, session.streamId());

        fromServer(RtmpUserControlEvent.pingRequest(1234).toMessage(client.alloc(), 0));
        control.clear();
        assertTrue(sentCommands(control).isEmpty());
        RtmpUserControlEvent pong = RtmpUserControlEvent.parse(control.get(0));
        control.forEach(RtmpMessage::release);
        assertEquals(RtmpUserControlEvent.PING_RESPONSE, pong.eventType());
        assertEquals(1234, pong.value());

        // A window the bytes so far do not fill, then media that fills it.
        fromServer(RtmpProtocolControl.windowAckSize(client.alloc(), fedBytes + 200));
        Track video = SyntheticMedia.h264(SyntheticMedia.AVCC);
        fromServer(new RtmpMessage(RtmpMessageType.VIDEO, 1, 40, 6, FlvMediaEncoder.encodeSequenceHeader(video, client.alloc())));
        control.clear();
        assertTrue(sentCommands(control).isEmpty());
        assertTrue(control.isEmpty(), "no acknowledgement before the window is full");
        byte[] payload = new byte[300];
        payload[2] = 0x01; // NAL unit length 296
        payload[3] = 0x28;
        payload[4] = 0x65;
        MediaFrame frame = SyntheticMedia.frame(video, 40, 80, true, payload);
        try {
            fromServer(new RtmpMessage(RtmpMessageType.VIDEO, 1, 40, 6, FlvMediaEncoder.encodeBody(frame, client.alloc())));
        } finally {
            frame.release();
        }
        assertTrue(sentCommands(control).isEmpty());
        assertEquals(1, control.size());
        assertEquals(RtmpMessageType.ACKNOWLEDGEMENT, control.get(0).typeId());
        assertEquals(fedBytes, RtmpProtocolControl.readAcknowledgement(control.get(0)), "acknowledges every byte");
        control.forEach(RtmpMessage::release);

        assertEquals(1, got.tracks.size());
        assertArrayEquals(SyntheticMedia.AVCC, got.tracks.get(0).config());
        assertEquals(1, got.frames.size());
        assertEquals(40, got.frames.get(0).dts());
        assertEquals(80, got.frames.get(0).pts());
        assertArrayEquals(payload, got.frames.get(0).payload());
        assertEquals(CodecId.H264, got.frames.get(0).codec());

        status("status", "NetStream.Play.UnpublishNotify");
        assertEquals(1, got.unpublishes);
        assertEquals(List.of("NetStream.Play.UnpublishNotify"), got.statuses);

        session.close();
        cmds = sentCommands(null);
        assertEquals(List.of("deleteStream"), cmds.stream().map(RtmpCommand::name).toList());
        assertEquals(List.of(1.0), cmds.get(0).arguments());
        assertFalse(client.isOpen());
        assertTrue(got.closed);
        assertNull(got.closeCause);
        assertTrue(session.closeFuture().toCompletableFuture().isDone());
        assertFalse(session.closeFuture().toCompletableFuture().isCompletedExceptionally());
    }

    @Test
    void publishFlowFailsWithTheStatusOfARefusal() {
        RtmpPublishSession session = publish();
        List<RtmpCommand> cmds = sentCommands(null);
        AmfObject o = cmds.get(0).commandObjectOrEmpty();
        assertEquals(RtmpClientConfig.PUBLISH_FLASH_VERSION, o.get("flashVer"));
        assertFalse(o.containsKey("fourCcList"));

        command(0, "_result", 1, null, new AmfObject().with("code", "NetConnection.Connect.Success"));
        cmds = sentCommands(null);
        assertEquals(List.of("releaseStream", "FCPublish", "createStream"), cmds.stream().map(RtmpCommand::name).toList());
        assertEquals(List.of("cam?k=v"), cmds.get(0).arguments());
        assertEquals(List.of("cam?k=v"), cmds.get(1).arguments());
        // Servers answer releaseStream with _error when they do not know the stream; that is fine.
        command(0, "_error", 2, null, new AmfObject().with("level", "error").with("code", "NetConnection.Call.Failed"));
        command(0, "_result", 4, null, 1.0);
        cmds = sentCommands(null);
        assertEquals(1, cmds.size());
        assertEquals("publish", cmds.get(0).name());
        assertEquals(List.of("cam?k=v", "live"), cmds.get(0).arguments());

        status("error", "NetStream.Publish.BadName");
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, started::join);
        RtmpStatusException s = assertInstanceOf(RtmpStatusException.class, e.getCause());
        assertEquals("NetStream.Publish.BadName", s.code());
        assertEquals("NetStream.Publish.BadName said the server", s.description());
        assertFalse(client.isOpen());
        assertFalse(session.isOpen());
    }

    @Test
    void aSilentServerTimesOutAtTheStepItStopped() {
        client.freezeTime();
        play(new FrameCollector());
        sentCommands(null).clear();
        command(0, "_result", 1, null, new AmfObject().with("code", "NetConnection.Connect.Success"));
        sentCommands(null).clear();
        client.advanceTimeBy(9, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertFalse(started.isDone());
        client.advanceTimeBy(2, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, started::join);
        assertTrue(e.getCause().getMessage().contains("did not answer createStream within 10000 ms"),
                e.getCause().getMessage());
        assertFalse(client.isOpen());
    }
}

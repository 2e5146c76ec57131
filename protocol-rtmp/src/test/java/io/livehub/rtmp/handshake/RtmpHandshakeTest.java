package io.livehub.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MalformedMediaException;
import io.livehub.rtmp.chunk.RtmpChunkDecoder;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RtmpHandshakeTest {

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void noLeaks() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
    }

    /** Records user events and passes everything on. */
    static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }

    private EmbeddedChannel channel(ChannelHandler... handlers) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(handlers);
        channels.add(ch);
        return ch;
    }

    /** Moves every outbound buffer of {@code from} into {@code to}; returns whether any moved. */
    private static boolean pump(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf b; (b = from.readOutbound()) != null; ) {
            to.writeInbound(b);
            moved = true;
        }
        return moved;
    }

    private static byte[] readAll(EmbeddedChannel ch) {
        ByteBuf all = io.netty.buffer.Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        all.release();
        return out;
    }

    private void handshake(RtmpHandshakeConfig clientConfig, boolean expectDigest) {
        Events serverEvents = new Events();
        Events clientEvents = new Events();
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), serverEvents);
        EmbeddedChannel client = channel(new RtmpClientHandshakeHandler(clientConfig), clientEvents);
        while (pump(client, server) | pump(server, client)) {
            // until both are quiet
        }
        assertEquals(1, serverEvents.events.size());
        assertEquals(1, clientEvents.events.size());
        RtmpHandshakeCompletedEvent s = (RtmpHandshakeCompletedEvent) serverEvents.events.get(0);
        RtmpHandshakeCompletedEvent c = (RtmpHandshakeCompletedEvent) clientEvents.events.get(0);
        assertEquals(expectDigest, s.digest(), "server saw a valid C1 digest");
        assertEquals(expectDigest, c.digest(), "client verified the S1 digest and the S2 signature");
        assertEquals(expectDigest ? RtmpClientHandshakeHandler.CLIENT_VERSION : 0, s.peerVersion());
        assertEquals(expectDigest ? RtmpServerHandshakeHandler.SERVER_VERSION : 0, c.peerVersion());
        assertNull(server.pipeline().get(RtmpServerHandshakeHandler.class), "removed after completion");
        assertNull(client.pipeline().get(RtmpClientHandshakeHandler.class), "removed after completion");
        assertTrue(server.isOpen() && client.isOpen());
    }

    @Test
    void simpleHandshake() {
        handshake(RtmpHandshakeConfig.builder().digest(false).build(), false);
    }

    @Test
    void digestHandshake() {
        handshake(RtmpHandshakeConfig.DEFAULT, true);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RtmpHandshakeTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void answersFfmpegDigestC1AndPassesPipelinedConnectOn() throws IOException {
        byte[] c0c1 = resource("ffmpeg-c0c1.bin");                 // captured from FFmpeg 5.1
        byte[] connect = resource("/io/livehub/rtmp/chunk/ffmpeg-connect-chunks.bin");
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1537);
        int c1DigestAt = HandshakeDigest.findDigest(c1, HandshakeDigest.PLAYER_KEY, HandshakeDigest.PLAYER_KEY_PUBLIC);
        assertEquals(HandshakeDigest.digestOffset(c1, 0), c1DigestAt, "FFmpeg uses schema 0");

        Events events = new Events();
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), new RtmpChunkDecoder(), events);
        server.writeInbound(alloc.wrap(c0c1));
        byte[] response = readAll(server);
        assertEquals(1 + 1536 + 1536, response.length);
        assertEquals(3, response[0]);
        byte[] s1 = Arrays.copyOfRange(response, 1, 1537);
        byte[] s2 = Arrays.copyOfRange(response, 1537, 3073);
        assertTrue(s1[4] >= 3, "FFmpeg checks the S1 version's first byte");
        int s1DigestAt = HandshakeDigest.findDigest(s1, HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_KEY_PUBLIC);
        assertEquals(HandshakeDigest.digestOffset(s1, 0), s1DigestAt, "S1 digest in the client's schema");
        assertTrue(HandshakeDigest.verifyResponse(s2,
                Arrays.copyOfRange(c1, c1DigestAt, c1DigestAt + 32), HandshakeDigest.SERVER_KEY), "S2 signature");

        // C2 (content not checked) and connect in one read.
        ByteBuf c2AndConnect = alloc.buffer(1536 + connect.length).writeZero(1536).writeBytes(connect);
        server.writeInbound(c2AndConnect);
        assertEquals(List.of(new RtmpHandshakeCompletedEvent(true, 0x09007C02L)), events.events);
        RtmpMessage m = server.readInbound();
        assertEquals("connect", RtmpCommand.decode(m).name());
        m.release();
    }

    @Test
    void fallsBackToSimpleWhenTheDigestDoesNotVerify() {
        Events events = new Events();
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), events);
        byte[] c0c1 = new byte[1537];
        new Random(1).nextBytes(c0c1);
        c0c1[0] = 3;
        c0c1[5] = 9;                                                     // non-zero version, no valid digest
        server.writeInbound(alloc.wrap(c0c1));
        byte[] response = readAll(server);
        assertArrayEquals(Arrays.copyOfRange(c0c1, 1, 1537), Arrays.copyOfRange(response, 1537, 3073), "S2 echoes C1");
        assertEquals(0, response[5] | response[6] | response[7] | response[8], "S1 version zero");
        server.writeInbound(alloc.wrap(new byte[1536]));
        assertEquals(List.of(new RtmpHandshakeCompletedEvent(false, 0x09000000L | (c0c1[6] & 0xFF) << 16
                | (c0c1[7] & 0xFF) << 8 | (c0c1[8] & 0xFF))), events.events);
    }

    private void assertRefused(int version, String messagePart) {
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler());
        DecoderException e = assertThrows(DecoderException.class,
                () -> server.writeInbound(alloc.wrap(new byte[] {(byte) version, 0, 0})));
        MalformedMediaException cause = assertInstanceOf(RtmpHandshakeException.class, e.getCause());
        assertTrue(cause.getMessage().contains(messagePart), cause.getMessage());
        assertFalse(server.isOpen());
        assertNull(server.readOutbound(), "nothing sent");
    }

    @Test
    void refusesEncryptedHandshake() {
        assertRefused(6, "RTMPE");
    }

    @Test
    void refusesHttpOnTheRtmpPort() {
        assertRefused('G', "HTTP");
    }

    @Test
    void refusesOtherVersions() {
        assertRefused(0, "version 0 (0x00) is not 3");
        assertRefused(0xff, "version 255");
    }

    @Test
    void clientRefusesBadS0() {
        EmbeddedChannel client = channel(new RtmpClientHandshakeHandler());
        readAll(client);
        assertThrows(DecoderException.class, () -> client.writeInbound(alloc.wrap(new byte[] {6})));
        assertFalse(client.isOpen());
    }

    @Test
    void truncatedHandshakeTimesOut() {
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler());
        server.freezeTime();
        server.writeInbound(alloc.wrap(new byte[] {3, 1, 2, 3}));     // C0 and 3 bytes of C1
        server.advanceTimeBy(9, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertTrue(server.isOpen());
        server.advanceTimeBy(1, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertFalse(server.isOpen(), "closed after the 10 s default");
    }

    @Test
    void peerClosingMidHandshakeReleasesEverything() {
        Events events = new Events();
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), events);
        server.writeInbound(alloc.wrap(new byte[700]).setByte(0, 3));
        server.close();
        assertTrue(events.events.isEmpty());
    }

    @Test
    void randomBytesAfterHandshakeCloseTheConnection() {
        Events events = new Events();
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        EmbeddedChannel server = channel(new RtmpServerHandshakeHandler(), decoder, events);
        EmbeddedChannel client = channel(new RtmpClientHandshakeHandler());
        while (pump(client, server) | pump(server, client)) {
            // handshake
        }
        assertEquals(1, events.events.size());
        Random random = new Random(7);
        byte[] piece = new byte[64 * 1024];
        DecoderException failure = null;
        long sent = 0;
        while (sent < 10L * 1024 * 1024 && server.isOpen()) {
            random.nextBytes(piece);
            try {
                server.writeInbound(alloc.wrap(piece));
            } catch (DecoderException e) {
                failure = e;
            }
            sent += piece.length;
            for (Object o; (o = server.readInbound()) != null; ) {
                ((RtmpMessage) o).release();
            }
        }
        assertInstanceOf(MalformedMediaException.class, failure == null ? null : failure.getCause(),
                "random bytes must be refused within 10 MB");
        assertFalse(server.isOpen());
    }
}

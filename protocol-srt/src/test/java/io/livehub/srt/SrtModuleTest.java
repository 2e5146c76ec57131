package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.MediaEvent;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PublishEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checks SrtModule's events, client registration and reject reasons, with a byte-counting payload format. */
class SrtModuleTest {

    private final List<MediaEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicLong demuxedBytes = new AtomicLong();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private MediaServer server;

    /** Counts payload bytes instead of demuxing MPEG-TS, which core does not have yet on this branch. */
    private final SrtPayloadFormat counting = new SrtPayloadFormat() {
        @Override
        public SrtPayloadDemuxer newDemuxer() {
            return (ByteBuf payload, Consumer<MediaFrame> out) -> demuxedBytes.addAndGet(payload.readableBytes());
        }

        @Override
        public SrtPayloadMuxer newMuxer(int payloadSize, io.livehub.media.EgressForms forms) {
            return (frame, out) -> { };
        }
    };

    private int start(SrtPayloadFormat format) throws Exception {
        MediaServerListener recorder = new MediaServerListener() {
            @Override
            public CompletionStage<Decision> onConnect(ConnectEvent e) {
                events.add(e);
                return Decision.allowStage();
            }

            @Override
            public CompletionStage<Decision> onPublish(PublishEvent e) {
                events.add(e);
                return CompletableFuture.supplyAsync(() -> "abc".equals(e.params().get("secret"))
                        ? Decision.allow() : Decision.deny("wrong secret"),
                        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
            }

            @Override
            public void onUnpublish(UnpublishEvent e) {
                events.add(e);
            }

            @Override
            public void onClose(CloseEvent e) {
                events.add(e);
            }
        };
        server = MediaServer.builder().httpPort(0).listener(recorder)
                .module(SrtModule.builder().host("127.0.0.1").port(0).payloadFormat(format).build()).start();
        return server.port("srt");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private SrtConnection call(int port, String sid) throws Exception {
        return SrtCaller.connect(SrtConfig.defaults(), group, NioDatagramChannel.class,
                new InetSocketAddress("127.0.0.1", port), sid, new PayloadCollector()).get(5, TimeUnit.SECONDS);
    }

    private int rejectCode(int port, String sid) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call(port, sid));
        return assertInstanceOf(SrtRejectedException.class, e.getCause()).rejectCode();
    }

    private <T extends MediaEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    @Test
    void publishFiresEventsRegistersTheClientAndRejectsASecondPublisher() throws Exception {
        int port = start(counting);
        StreamKey key = StreamKey.of("live", "show");
        SrtConnection c = call(port, "#!::r=live/show,m=publish,s=abc");
        PayloadCollector.await(() -> server.hub().stream(key) != null, 5000, "publication");
        for (int i = 0; i < 10; i++) {
            c.send(Unpooled.wrappedBuffer(new byte[1316]));
        }
        PayloadCollector.await(() -> demuxedBytes.get() == 13160, 5000, "payloads demuxed");
        ClientSession session = server.clients().list().iterator().next();
        assertEquals(ClientSession.Role.PUBLISHING, session.role());
        assertEquals("srt", session.info().protocol());

        assertEquals(1409, rejectCode(port, "#!::r=live/show,m=publish,s=abc"));
        assertEquals(1403, rejectCode(port, "#!::r=live/other,m=publish,s=wrong"));
        assertEquals(1400, rejectCode(port, "#!::m=publish"));

        String publisher = session.id();
        c.close();
        PayloadCollector.await(() -> of(UnpublishEvent.class).size() == 1
                && of(CloseEvent.class).stream().anyMatch(e -> e.clientId().equals(publisher)),
                5000, "unpublish and close");
        PublishEvent publish = of(PublishEvent.class).get(0);
        assertEquals(key, publish.stream());
        assertEquals("abc", publish.params().get("secret"));
        assertEquals("srt", publish.client().protocol());
        assertEquals(publisher, publish.clientId());
        CloseEvent close = of(CloseEvent.class).stream().filter(e -> e.clientId().equals(publisher)).findFirst()
                .orElseThrow();
        assertEquals(key, close.stream());
        assertTrue(close.recvBytes() > 13160);
        // The refused callers were connected (their publish was refused), so they close too.
        PayloadCollector.await(() -> of(CloseEvent.class).size() == 3, 5000, "the refused callers' close");
        PayloadCollector.await(() -> server.clients().size() == 0, 5000, "client unregistered");
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
        server = MediaServer.builder().httpPort(-1)
                .module(SrtModule.builder().config(SrtConfig.builder().host("127.0.0.1").port(0)
                        .maxConnectionsPerAddress(2).payloadFormat(counting).build()).build()).start();
        int port = server.port("srt");
        SrtConnection a = call(port, "#!::r=live/a,m=request");
        SrtConnection b = call(port, "#!::r=live/b,m=request");
        assertEquals(3, rejectCode(port, "#!::r=live/c,m=request"), "REJ_RESOURCE (3) for the third caller");
        a.close();
        // The slot comes back when the connection ends.
        PayloadCollector.await(() -> server.clients().size() == 1, 5000, "the first caller gone");
        SrtConnection c = call(port, "#!::r=live/c,m=request");
        b.close();
        c.close();
    }

    @Test
    void withoutAPayloadFormatCallersAreRejectedAsUnimplemented() throws Exception {
        int port = start(null);
        assertEquals(1501, rejectCode(port, "#!::r=live/show,m=publish"));
    }

    @Test
    void aFailedBindNamesTheModuleAndTheAddress() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Exception e = assertThrows(Exception.class, () -> MediaServer.builder().httpPort(-1)
                    .module(SrtModule.builder().host("127.0.0.1").port(port).build()).start());
            assertTrue(e.getMessage().startsWith("srt: cannot bind UDP 127.0.0.1:" + port + ": "), e.getMessage());
        }
    }
}

package io.livehub.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.livehub.rtmp.amf.AmfObject;
import io.livehub.rtmp.chunk.RtmpChunkDecoder;
import io.livehub.rtmp.chunk.RtmpChunkEncoder;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpDataMessage;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.livehub.testing.Interop;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs FFmpeg against the handshake and chunk codec on loopback, with a minimal command responder
 * standing in for the session layer. Skips when FFmpeg is missing, unless
 * {@code livehub.interop.required} is true.
 */
@Tag("interop")
class FfmpegInteropTest {

    private EventLoopGroup group;
    private Channel server;
    private final List<Object> seen = new CopyOnWriteArrayList<>();

    private static String ffmpeg() {
        return Interop.require("ffmpeg");
    }

    /** Answers connect, createStream and publish the way a server must for FFmpeg to go on; records the rest. */
    final class Responder extends SimpleChannelInboundHandler<RtmpMessage> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage m) {
            switch (m.typeId()) {
                case RtmpMessageType.AMF0_COMMAND, RtmpMessageType.AMF3_COMMAND -> {
                    RtmpCommand c = RtmpCommand.decode(m);
                    seen.add(c);
                    switch (c.name()) {
                        case "connect" -> {
                            ctx.write(RtmpProtocolControl.windowAckSize(ctx.alloc(), 2_500_000));
                            ctx.write(RtmpProtocolControl.setPeerBandwidth(ctx.alloc(), 2_500_000, 2));
                            ctx.write(RtmpProtocolControl.setChunkSize(ctx.alloc(), 4096));
                            ctx.writeAndFlush(RtmpCommand.of("_result", c.transactionId(),
                                    new AmfObject().with("fmsVer", "FMS/3,0,1,123").with("capabilities", 31.0),
                                    new AmfObject().with("level", "status").with("code", "NetConnection.Connect.Success")
                                            .with("objectEncoding", 0.0)).toMessage(ctx.alloc(), 0));
                        }
                        case "createStream" -> ctx.writeAndFlush(
                                RtmpCommand.of("_result", c.transactionId(), null, 1.0).toMessage(ctx.alloc(), 0));
                        case "publish" -> ctx.writeAndFlush(RtmpCommand.of("onStatus", 0, null,
                                new AmfObject().with("level", "status").with("code", "NetStream.Publish.Start"))
                                .toMessage(ctx.alloc(), 1));
                        case "play" -> ctx.close();   // the handshake and connect are what a player test checks
                        default -> {
                        }
                    }
                }
                case RtmpMessageType.AMF0_DATA -> seen.add(RtmpDataMessage.decode(m));
                default -> seen.add(RtmpMessageType.name(m.typeId()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            seen.add(cause);
            ctx.close();
        }
    }

    @BeforeEach
    void start() throws InterruptedException {
        group = new NioEventLoopGroup(1);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RtmpServerHandshakeHandler(), new RtmpChunkDecoder(),
                                new RtmpChunkEncoder(), new Responder());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private int run(String... args) throws Exception {
        Process p = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ffmpeg did not finish");
        }
        return p.exitValue();
    }

    @Test
    void ffmpegPublishes() throws Exception {
        String ffmpeg = ffmpeg();
        int exit = run(ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "1", "-c:a", "aac",
                "-f", "flv", "rtmp://127.0.0.1:" + port() + "/live/stream");
        assertEquals(0, exit, "ffmpeg exit code; seen: " + seen);
        assertTrue(seen.contains(new RtmpHandshakeCompletedEvent(true, RtmpClientHandshakeHandler.CLIENT_VERSION)),
                "FFmpeg's digest C1 was recognised: " + seen);
        RtmpCommand connect = (RtmpCommand) seen.stream().filter(o -> o instanceof RtmpCommand c && c.name().equals("connect"))
                .findFirst().orElseThrow();
        assertEquals("live", connect.commandObjectOrEmpty().string("app"));
        assertTrue(seen.stream().anyMatch(o -> o instanceof RtmpCommand c && c.name().equals("publish")
                && "stream".equals(c.stringArgument(0))), "publish stream: " + seen);
        assertTrue(seen.stream().anyMatch(o -> o instanceof RtmpDataMessage d && d.isSetDataFrame()
                && d.unwrapSetDataFrame().firstMap() != null), "metadata");
        assertTrue(seen.stream().filter("video"::equals).count() >= 9, "video messages: " + seen.size());
        assertTrue(seen.contains("audio"), "audio messages");
        assertTrue(seen.stream().noneMatch(o -> o instanceof Throwable), "no errors: " + seen);
    }

    @Test
    void ffmpegAsPlayerAcceptsTheDigestS1AndS2() throws Exception {
        String ffmpeg = ffmpeg();
        // A player checks S1's digest and S2's signature and stops before connect when either is wrong.
        run(ffmpeg, "-hide_banner", "-loglevel", "error", "-rw_timeout", "5000000", "-i",
                "rtmp://127.0.0.1:" + port() + "/live/stream", "-t", "1", "-f", "null", "-");
        assertTrue(seen.contains(new RtmpHandshakeCompletedEvent(true, RtmpClientHandshakeHandler.CLIENT_VERSION)), "" + seen);
        assertTrue(seen.stream().anyMatch(o -> o instanceof RtmpCommand c && c.name().equals("connect")),
                "FFmpeg went on to connect: " + seen);
    }
}

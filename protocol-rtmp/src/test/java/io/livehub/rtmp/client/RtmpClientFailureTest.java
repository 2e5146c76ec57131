package io.livehub.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.rtmp.chunk.RtmpChunkDecoder;
import io.livehub.rtmp.handshake.RtmpServerHandshakeHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks how publish and play fail when the server is missing, silent, or not RTMP. */
class RtmpClientFailureTest {

    private EventLoopGroup group;

    @BeforeEach
    void start() {
        group = new NioEventLoopGroup(1);
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Starts a server that completes the RTMP handshake and then reads and ignores everything. */
    private Channel silentServer() throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new RtmpServerHandshakeHandler(), new RtmpChunkDecoder(),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @Test
    void aServerThatNeverAnswersConnectTimesOut() throws Exception {
        Channel server = silentServer();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        RtmpClientConfig config = RtmpClientConfig.builder().commandTimeout(Duration.ofMillis(300)).build();
        try (RtmpClient client = RtmpClient.create(config, group, NioSocketChannel.class)) {
            Throwable t = RtmpClientRoundTripTest.failure(client.publish("rtmp://127.0.0.1:" + port + "/live/x"));
            RtmpClientException e = assertInstanceOf(RtmpClientException.class, t);
            assertTrue(e.getMessage().contains("did not answer connect within 300 ms"), e.getMessage());
        } finally {
            server.close().sync();
        }
    }

    @Test
    void aClosedPortFailsToConnect() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (RtmpClient client = RtmpClient.create(RtmpClientConfig.DEFAULT, group, NioSocketChannel.class)) {
            Throwable t = RtmpClientRoundTripTest.failure(client.play("rtmp://127.0.0.1:" + port + "/live/x",
                    new FrameCollector()));
            RtmpClientException e = assertInstanceOf(RtmpClientException.class, t);
            assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port), e.getMessage());
        }
    }

    @Test
    void aServerThatIsNotRtmpFailsTheHandshake() throws Exception {
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(
                                "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (RtmpClient client = RtmpClient.create(RtmpClientConfig.DEFAULT, group, NioSocketChannel.class)) {
            Throwable t = RtmpClientRoundTripTest.failure(client.publish("rtmp://127.0.0.1:" + port + "/live/x"));
            RtmpClientException e = assertInstanceOf(RtmpClientException.class, t);
            assertTrue(e.getMessage().contains("not 3"), e.getMessage());
        } finally {
            server.close().sync();
        }
    }
}

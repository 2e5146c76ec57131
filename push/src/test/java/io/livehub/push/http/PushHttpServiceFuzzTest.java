package io.livehub.push.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.hub.HubConfig;
import io.livehub.hub.StreamHub;
import io.livehub.push.PushConfig;
import io.livehub.push.internal.Destination;
import io.livehub.push.internal.PushEngine;
import io.livehub.media.MediaFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Sends arbitrary bodies to the push API's three endpoints (the first byte picks one): every
 * request is answered with one of the API's status codes, nothing throws, nothing leaks.
 * Its seeds (PushHttpServiceFuzzTestInputs) run as ordinary tests.
 */
class PushHttpServiceFuzzTest {

    private static final String[] ACTIONS = {":startPush", ":stopPush", ":pushes"};
    private static final Set<Integer> CODES = Set.of(200, 400, 404, 409, 503);
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("u:token".getBytes(StandardCharsets.UTF_8));

    /** A destination that never connects, so started tasks stay in connecting. */
    private static final class Silent implements Destination {
        @Override
        public CompletionStage<Void> open() {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Void> closeFuture() {
            return new CompletableFuture<>();
        }

        @Override
        public void metadata(Map<String, Object> metadata) {
        }

        @Override
        public void send(MediaFrame frame) {
            frame.release();
        }

        @Override
        public void flush() {
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public long sentBytes() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    @FuzzTest
    void request(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        PushEngine engine = new PushEngine(PushConfig.builder().apiToken("token").build(),
                new StreamHub(HubConfig.defaults()), group, (spec, loop) -> new Silent(), List.of());
        try {
            PushHttpService service = new PushHttpService(engine);
            EmbeddedChannel ch = new EmbeddedChannel(new SimpleChannelInboundHandler<FullHttpRequest>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                    assertTrue(service.handle(ctx, req));
                }
            });
            String path = "/v1/vhosts/default/apps/live" + ACTIONS[(data[0] & 0xFF) % ACTIONS.length];
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                    Unpooled.wrappedBuffer(data, 1, data.length - 1));
            req.headers().set(HttpHeaderNames.AUTHORIZATION, AUTH);
            ch.writeInbound(req);
            FullHttpResponse r = ch.readOutbound();
            assertNotNull(r, "answered");
            try {
                assertTrue(CODES.contains(r.status().code()), r.status().toString());
            } finally {
                r.release();
            }
            assertFalse(ch.finish());
        } finally {
            engine.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}

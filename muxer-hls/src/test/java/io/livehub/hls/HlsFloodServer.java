package io.livehub.hls;

import io.livehub.MediaServer;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.http.HttpResponses;
import io.livehub.hub.Publication;
import io.livehub.media.StreamKey;
import io.livehub.spi.ServerModule;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A server for {@link HlsPlaylistFloodTest}, run in a JVM of its own with a small heap: HLS with
 * the default configuration, a listener that allows every play (as a hook server would), two
 * streams of synthetic media published in real time ({@code live/flood} and {@code live/keep}),
 * and {@code GET /status} answering the number of listed clients, so the test can tell that
 * the server still answers; HTTP-FLV too when protocol-rtmp has {@code HttpFlvModule} (looked up
 * by name, as the module arrived on main after this test was written). Prints
 * {@code HTTP-FLV yes|no} and {@code PORT <n>} when it listens; exits when its standard input
 * closes, so it never outlives the test.
 */
public final class HlsFloodServer {

    private HlsFloodServer() {
    }

    public static void main(String[] args) throws Exception {
        MediaServer.Builder builder = MediaServer.builder().httpPort(0);
        ServerModule flv = httpFlv();
        if (flv != null) {
            builder.module(flv);
        }
        MediaServer server = builder
                .module(new HlsModule(HlsConfig.defaults()))
                .listener(new MediaServerListener() {
                    @Override
                    public CompletionStage<Decision> onPlay(PlayEvent event) {
                        return CompletableFuture.completedFuture(Decision.allow());
                    }
                })
                .start();
        server.httpRoutes().add((ctx, req) -> {
            if (!req.uri().equals("/status")) {
                return false;
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("clients " + server.clients().size() + "\n", StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpResponses.send(ctx, req, r);
            return true;
        });
        for (String name : new String[] {"flood", "keep"}) {
            EventLoop loop = server.transport().workerGroup().next();
            Publication p = server.hub().publish(StreamKey.of("live", name), loop, "publisher-" + name);
            long[] next = {0};
            loop.scheduleAtFixedRate(() -> {
                SyntheticMedia.feed(next[0], next[0] + 1000, 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO, p::publish);
                next[0] += 1000;
            }, 0, 1, TimeUnit.SECONDS);
        }
        System.out.println("HTTP-FLV " + (flv != null ? "yes" : "no"));
        System.out.println("PORT " + server.port("http"));
        System.out.flush();
        while (System.in.read() >= 0) {
            // Runs until the test closes our standard input (or dies).
        }
        server.close();
        System.exit(0);
    }

    /** Returns {@code HttpFlvModule.builder().build()} when the class is there, else null. */
    private static ServerModule httpFlv() {
        try {
            Object b = Class.forName("io.livehub.rtmp.HttpFlvModule").getMethod("builder").invoke(null);
            return (ServerModule) b.getClass().getMethod("build").invoke(b);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}

package io.livehub.examples.full;

import io.livehub.MediaServer;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.http.HttpServerConfig;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpModule;
import java.net.URI;
import java.nio.file.Files;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full Livehub server with embedded defaults that follow SRS: RTMP on 1935, HTTP on 8080
 * (HTTP-FLV at {@code /{app}/{stream}.flv}), data under {@code ./data}. Run it with
 * {@code java -jar examples/target/livehub-server.jar}; see {@link ServerOptions} for the
 * flags and environment variables.
 */
public final class LivehubServer {

    private static final Logger log = LoggerFactory.getLogger("livehub");

    private LivehubServer() {
    }

    public static void main(String[] args) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args, System.getenv());
        } catch (ServerOptions.HelpRequested e) {
            System.out.println(ServerOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("livehub-server: " + e.getMessage());
            System.err.println(ServerOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            MediaServer server = start(options);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "livehub-shutdown"));
            log.info("publish with: ffmpeg -re -f lavfi -i testsrc=size=640x360:rate=30 -f lavfi -i sine "
                    + "-c:v libx264 -g 60 -c:a aac -f flv rtmp://localhost:{}/live/livestream",
                    server.port("rtmp"));
        } catch (Exception e) {
            System.err.println("livehub-server: cannot start: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Starts the server described by {@code options}; used by {@link #main} and by tests. */
    public static MediaServer start(ServerOptions options) throws Exception {
        Files.createDirectories(options.dataDir());
        int[] httpPort = new int[1];
        int[] rtmpPort = new int[1];
        MediaServer server = MediaServer.builder()
                .http(HttpServerConfig.builder().host(options.host()).port(options.httpPort()).build())
                .module(RtmpModule.builder().host(options.host()).port(options.rtmpPort()).build())
                .module(new HttpFlvModule())
                .listener(new MediaServerListener() {
                    @Override
                    public CompletionStage<Decision> onPublish(PublishEvent e) {
                        String host = hostOf(e.client().tcUrl());
                        log.info("publish {} from {} ({}): play it at rtmp://{}:{}/{} or http://{}:{}/{}.flv",
                                e.stream().path(), e.client().ip(), e.protocol(), host, rtmpPort[0],
                                e.stream().path(), host, httpPort[0], e.stream().path());
                        return Decision.allowStage();
                    }

                    @Override
                    public CompletionStage<Decision> onPlay(PlayEvent e) {
                        log.info("play {} by {} ({})", e.stream().path(), e.client().ip(), e.protocol());
                        return Decision.allowStage();
                    }
                })
                .start();
        rtmpPort[0] = server.port("rtmp");
        httpPort[0] = server.port("http");
        return server;
    }

    private static String hostOf(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null || h.isEmpty() ? "localhost" : h;
        } catch (IllegalArgumentException e) {
            return "localhost";
        }
    }
}

package io.livehub.examples.virtual;

import io.livehub.MediaServer;
import io.livehub.hls.HlsModule;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpModule;
import io.livehub.virtual.VirtualLiveModule;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Plays a file as a live stream, looped forever, to RTMP (1935), HTTP-FLV and HLS (8080)
 * players; more can be started and stopped through the HTTP API on loopback.
 *
 * <pre>
 * java -cp livehub-server.jar io.livehub.examples.virtual.VirtualLiveServer /data/media talk.mp4 live/talk
 * ffplay rtmp://localhost/live/talk      (or http://localhost:8080/live/talk.flv, .m3u8)
 * curl -H 'Content-Type: application/json' -d '{"stream":{"name":"news"},"file":"news.flv","loops":2}' \
 *      http://localhost:8080/v1/vhosts/default/apps/live:startVirtual
 * </pre>
 */
public final class VirtualLiveServer {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: VirtualLiveServer MEDIA_DIR FILE [APP/NAME]   (default live/virtual)");
            System.exit(2);
        }
        StreamKey key = StreamKey.parse(args.length > 2 ? args[2] : "live/virtual");
        VirtualLiveModule virtual = VirtualLiveModule.builder().mediaRoot(Path.of(args[0])).httpApi(null).build();
        MediaServer server = MediaServer.builder().httpPort(8080)
                .module(RtmpModule.builder().port(1935).build())
                .module(HttpFlvModule.builder().build())
                .module(new HlsModule())
                .module(virtual)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        virtual.start(key, args[1], VirtualLiveModule.FOREVER).toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("playing " + args[1] + " as rtmp://localhost/" + key.path());
    }

    private VirtualLiveServer() {
    }
}

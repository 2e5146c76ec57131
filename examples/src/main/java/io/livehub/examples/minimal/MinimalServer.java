package io.livehub.examples.minimal;

import io.livehub.MediaServer;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PublishEvent;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpModule;
import java.util.concurrent.CompletionStage;

/**
 * The smallest useful Livehub server: RTMP on 1935 and HTTP-FLV on 8080.
 *
 * <pre>
 * ffmpeg -re -i in.mp4 -c copy -f flv rtmp://localhost/live/stream
 * ffplay rtmp://localhost/live/stream      (or http://localhost:8080/live/stream.flv)
 * </pre>
 */
public final class MinimalServer {

    public static void main(String[] args) throws Exception {
        MediaServer server = MediaServer.builder()
                .module(RtmpModule.builder().port(1935).build())
                .module(HttpFlvModule.builder().build())
                .listener(new MediaServerListener() {
                    @Override
                    public CompletionStage<Decision> onPublish(PublishEvent e) {
                        System.out.println("publishing " + e.stream() + " from " + e.client().ip());
                        return Decision.allowStage();
                    }
                })
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }

    private MinimalServer() {
    }
}

package io.livehub.mp4;

import io.livehub.MediaServer;
import io.livehub.event.MediaServerListener;
import io.livehub.event.RecordBeginEvent;
import io.livehub.rtmp.RtmpModule;
import java.nio.file.Path;

/**
 * A recording server in its own JVM, for the test that kills it: records every stream under
 * {@code args[0]}, prints {@code RTMP <port>} once listening and {@code BEGIN <path>} when a
 * recording starts, then runs until killed.
 */
public final class RecordServerMain {

    private RecordServerMain() {
    }

    public static void main(String[] args) throws Exception {
        MediaServer server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(Mp4RecordModule.builder(Path.of(args[0])).all().build())
                .listener(new MediaServerListener() {
                    @Override
                    public void onRecordBegin(RecordBeginEvent event) {
                        System.out.println("BEGIN " + event.path());
                        System.out.flush();
                    }
                })
                .start();
        System.out.println("RTMP " + server.port("rtmp"));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

package io.livehub.hooks;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishes with ffmpeg to a server guarded by a {@link SecretAuthorizer}, in each form. */
@Tag("interop")
class SecretAuthorizerInteropTest {

    @TempDir
    Path dir;

    private final SecretAuthorizer secrets = new SecretAuthorizer("s3cret");
    private MediaServer server;
    private String rtmp;

    @BeforeEach
    void start() throws Exception {
        server = MediaServer.builder().httpPort(-1).listener(secrets)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .start();
        rtmp = "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void publishes(String path, String name) throws Exception {
        StreamKey key = StreamKey.of("live", name);
        try (ExternalProcess pub = Ffmpeg.publish(dir, rtmp + path, 20)) {
            Ffmpeg.await(() -> Ffmpeg.live(server, key), "publishing " + name);
        }
    }

    private void refused(String path, String name) throws Exception {
        ExternalProcess.Result r;
        try (ExternalProcess pub = Ffmpeg.publish(dir, rtmp + path, 3)) {
            r = pub.await(30);
        }
        assertNotEquals(0, r.exitCode(), "publish must fail: " + r.describe());
        assertNull(server.hub().stream(StreamKey.of("live", name)));
    }

    @Test
    void rightSecretPublishesWrongOrMissingIsRefused() throws Exception {
        publishes("right?secret=s3cret", "right");
        refused("wrong?secret=s3cre7", "wrong");
        refused("missing", "missing");
    }

    @Test
    void secretInTheStreamName() throws Exception {
        // The stream keeps the name as sent, so players use the same name (SRS Stack FAQ).
        publishes("camsecrets3cret", "camsecrets3cret");
        publishes("s3cret", "s3cret");
        refused("camsecretnope", "camsecretnope");
    }

    @Test
    void rotationAppliesToTheNextPublishAndEmptyDisables() throws Exception {
        publishes("a?secret=s3cret", "a");
        secrets.secret("n3w");
        refused("b?secret=s3cret", "b");
        publishes("c?secret=n3w", "c");
        secrets.secret("");
        publishes("d", "d");
    }
}

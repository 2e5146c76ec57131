package io.livehub.examples.full;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.StreamKey;
import io.livehub.testing.Await;
import io.livehub.testing.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the full server's virtual live settings: LIVEHUB_VIRTUAL, LIVEHUB_MEDIA_DIR and the HTTP API. */
class FullServerVirtualLiveTest {

    @TempDir
    Path dir;

    @Test
    void parsesStreamsAndTheMediaFolder() {
        ServerOptions d = ServerOptions.parse(new String[0], Map.of());
        assertTrue(d.virtual().streams().isEmpty());
        assertNull(d.virtual().mediaDir());
        assertEquals(Path.of("./data/media"), d.virtual().mediaDir(d.dataDir()));

        ServerOptions o = ServerOptions.parse(new String[] {"--media-dir=/srv/media"},
                Map.of("LIVEHUB_VIRTUAL", " live/talk=talk.mp4, live/news = news/today.flv ,"));
        assertEquals(Map.of(StreamKey.of("live", "talk"), "talk.mp4", StreamKey.of("live", "news"), "news/today.flv"),
                o.virtual().streams());
        assertEquals(Path.of("/srv/media"), o.virtual().mediaDir(o.dataDir()));

        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[] {"--virtual=talk.mp4"}, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[] {"--virtual=live/a b=x.mp4"}, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[] {"--virtual=live/a=x.mp4,live/a=y.mp4"}, Map.of()));
    }

    @Test
    @Tag("interop")
    void playsTheListedFilesWithThePublishSecretAndServesTheApi() throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        ExternalProcess.Result made = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264",
                "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-f", "flv", media.resolve("talk.flv").toString());
        assertEquals(0, made.exitCode(), made.describe());
        ServerOptions o = ServerOptions.parse(new String[] {"--rtmp-port=0", "--http-port=0", "--srt-port=0",
            "--host=127.0.0.1", "--data-dir=" + dir, "--virtual=live/talk=talk.flv"},
                Map.of("LIVEHUB_SECRET", "pub", "LIVEHUB_API_TOKEN", "tok"));
        try (LivehubServer s = LivehubServer.start(o)) {
            Await.live(s.server(), StreamKey.of("live", "talk"), 10);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + s.server().port("http") + "/v1/vhosts/default/apps/live:virtuals"))
                    .header("Authorization", "Bearer tok").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"file\":\"talk.flv\""), r.body());
        }
    }
}

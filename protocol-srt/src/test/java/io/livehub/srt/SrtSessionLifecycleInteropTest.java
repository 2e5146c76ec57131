package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.event.StopEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ffmpeg SRT publisher and an ffmpeg SRT player each go through one client session: the
 * listeners see exactly connect, publish, unpublish, close and connect, play, stop, close, each
 * with one client id, on the default vhost (the publisher names a host, {@code h=}, that the
 * server does not serve), and both are listed as clients while they are active.
 */
@Tag("interop")
class SrtSessionLifecycleInteropTest {

    @TempDir
    Path dir;

    private MediaServer server;
    /** Events by client id, in the order they were fired. */
    private final Map<String, List<String>> events = new LinkedHashMap<>();

    private synchronized void record(String clientId, String event) {
        events.computeIfAbsent(clientId, k -> new ArrayList<>()).add(event);
    }

    private synchronized Map<String, List<String>> events() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        events.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    private final MediaServerListener recorder = new MediaServerListener() {
        @Override
        public CompletionStage<Decision> onConnect(ConnectEvent e) {
            record(e.clientId(), "connect " + e.vhost() + " " + e.app() + " " + e.client().tcUrl());
            return Decision.allowStage();
        }

        @Override
        public CompletionStage<Decision> onPublish(PublishEvent e) {
            record(e.clientId(), "publish " + e.stream().vhost() + " " + e.stream().path());
            return Decision.allowStage();
        }

        @Override
        public CompletionStage<Decision> onPlay(PlayEvent e) {
            record(e.clientId(), "play " + e.stream().vhost() + " " + e.stream().path());
            return Decision.allowStage();
        }

        @Override
        public void onUnpublish(UnpublishEvent e) {
            record(e.clientId(), "unpublish " + e.stream().vhost() + " " + e.stream().path());
        }

        @Override
        public void onStop(StopEvent e) {
            record(e.clientId(), "stop " + e.stream().vhost() + " " + e.stream().path());
        }

        @Override
        public void onClose(CloseEvent e) {
            record(e.clientId(), "close " + e.vhost() + " " + e.app());
        }
    };

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Optional<ClientSession> client(ClientSession.Role role) {
        return server.clients().list().stream().filter(c -> c.role() == role).findFirst();
    }

    @Test
    void publisherAndPlayerRunTheFixedSequenceWithOneIdEach() throws Exception {
        server = MediaServer.builder().httpPort(-1).listener(recorder)
                .module(SrtModule.builder().host("127.0.0.1").port(0).build()).start();
        int port = server.port("srt");
        String srt = "srt://127.0.0.1:" + port + "?streamid=";
        StreamKey key = StreamKey.of("live", "cycle");
        String d = StreamKey.DEFAULT_VHOST;

        try (ExternalProcess publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-f", "lavfi", "-i", "sine",
                "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts",
                srt + "#!::h=example.com,r=live/cycle,m=publish&pkt_size=1316")) {
            PayloadCollector.await(() -> server.hub().stream(key) != null && server.hub().stream(key).isPublishing()
                    && server.hub().stream(key).videoTrack() != null, 10_000, "the SRT publication");
            Path out = dir.resolve("played.ts");
            try (ExternalProcess player = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-y", "-analyzeduration", "1000000", "-i", srt + "#!::r=live/cycle,m=request", "-frames:v", "25", "-c", "copy", "-f", "mpegts",
                    out.toString())) {
                PayloadCollector.await(() -> client(ClientSession.Role.PLAYING).isPresent(), 10_000,
                        "the player listed as a client");
                ClientSession pub = client(ClientSession.Role.PUBLISHING).orElseThrow();
                ClientSession play = client(ClientSession.Role.PLAYING).orElseThrow();
                assertEquals("srt", pub.protocol());
                assertEquals(key, pub.stream());
                assertEquals(key, play.stream());
                assertEquals(d, pub.vhost());
                assertEquals(0, player.await(20).exitCode(), player.output());
                PayloadCollector.await(() -> events().getOrDefault(play.id(), List.of()).size() == 4, 10_000,
                        "the player's close");
                assertTrue(server.clients().find(play.id()).isEmpty(), "the player is no longer listed");
                assertTrue(server.clients().find(pub.id()).isPresent(), "the publisher is still listed");
                assertEquals(List.of(
                        "connect " + d + " live srt://127.0.0.1:" + port + "/live",
                        "play " + d + " live/cycle",
                        "stop " + d + " live/cycle",
                        "close " + d + " live"), events().get(play.id()));
                assertEquals(25, Ffprobe.of(dir, out).packets("video").size(), "the player's video frames");
            }
            assertEquals(0, publisher.await(20).exitCode(), publisher.output());
            String pubId = events().keySet().iterator().next();
            PayloadCollector.await(() -> events().get(pubId).size() == 4, 10_000, "the publisher's close");
            assertEquals(List.of(
                    "connect " + d + " live srt://example.com/live",
                    "publish " + d + " live/cycle",
                    "unpublish " + d + " live/cycle",
                    "close " + d + " live"), events().get(pubId));
            assertEquals(2, events().size(), "two clients: " + events());
            PayloadCollector.await(() -> server.clients().size() == 0, 5000, "no client listed");
        }
    }
}

package io.livehub.examples.full;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.hooks.HookAction;
import io.livehub.hooks.HookStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the full server's secret and hook settings and the kept secret file. */
class FullServerSettingsTest {

    @TempDir
    Path dir;

    @Test
    void secretIsUnsetEmptyOrGiven() {
        assertNull(ServerOptions.parse(new String[0], Map.of()).secret());
        assertEquals("", ServerOptions.parse(new String[0], Map.of("LIVEHUB_SECRET", "")).secret());
        assertEquals("abc", ServerOptions.parse(new String[0], Map.of("LIVEHUB_SECRET", "abc")).secret());
        assertEquals("xyz", ServerOptions.parse(new String[] {"--secret=xyz"}, Map.of("LIVEHUB_SECRET", "abc")).secret());
    }

    @Test
    void hooksAndStyle() {
        ServerOptions o = ServerOptions.parse(new String[0], Map.of("LIVEHUB_HOOKS",
                " http://127.0.0.1:8085/api/v1/hooks , https://hooks.example.com/x ", "LIVEHUB_HOOK_STYLE", "srs-stack"));
        assertEquals(List.of("http://127.0.0.1:8085/api/v1/hooks", "https://hooks.example.com/x"), o.hooks());
        assertEquals(HookStyle.SRS_STACK, o.hookStyle());
        assertEquals(HookStyle.SRS, ServerOptions.parse(new String[0], Map.of()).hookStyle());
        assertTrue(ServerOptions.parse(new String[0], Map.of()).hooks().isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[0], Map.of("LIVEHUB_HOOKS", "ftp://x/y")));
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[0], Map.of("LIVEHUB_HOOK_STYLE", "nginx")));
    }

    @Test
    void hooksPerEventAsSrsConfiguresThem() {
        ServerOptions o = ServerOptions.parse(new String[] {"--hook-on-play=http://127.0.0.1:8085/api/v1/sessions"},
                Map.of("LIVEHUB_HOOK_ON_CONNECT", "http://127.0.0.1:8085/api/v1/clients",
                        "LIVEHUB_HOOK_ON_PUBLISH", "http://127.0.0.1:8085/api/v1/streams, http://127.0.0.1:9/b",
                        "LIVEHUB_HOOK_ON_PLAY", "http://ignored.example/overridden-by-the-flag",
                        "LIVEHUB_HOOK_ON_RECORD_END", "http://127.0.0.1:8085/api/v1/records"));
        assertTrue(o.hooks().isEmpty());
        assertTrue(o.hasHooks());
        assertEquals(List.of("http://127.0.0.1:8085/api/v1/clients"), o.eventHooks().get(HookAction.ON_CONNECT));
        assertEquals(List.of("http://127.0.0.1:8085/api/v1/streams", "http://127.0.0.1:9/b"),
                o.eventHooks().get(HookAction.ON_PUBLISH));
        assertEquals(List.of("http://127.0.0.1:8085/api/v1/sessions"), o.eventHooks().get(HookAction.ON_PLAY));
        assertEquals(List.of("http://127.0.0.1:8085/api/v1/records"), o.eventHooks().get(HookAction.ON_RECORD_END));
        assertNull(o.eventHooks().get(HookAction.ON_CLOSE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[0], Map.of("LIVEHUB_HOOK_ON_STOP", "ftp://x/y")));
        assertTrue(e.getMessage().contains("LIVEHUB_HOOK_ON_STOP"), e.getMessage());
    }

    @Test
    void fanOutKnobsFromFlagsOverEnvironment() {
        ServerOptions d = ServerOptions.parse(new String[0], Map.of());
        assertEquals(io.livehub.hub.HubConfig.defaults().mergeWriteWindow(), d.fanOut().hubConfig().mergeWriteWindow());
        assertTrue(d.fanOut().tcpNoDelay());
        assertTrue(d.fanOut().nativeTransport());
        assertEquals(0, d.fanOut().workerThreads());
        assertEquals(4096, d.fanOut().applyTo(io.livehub.rtmp.RtmpConfig.builder()).build().chunkSize());

        ServerOptions o = ServerOptions.parse(
                new String[] {"--merge-write-window=0", "--queue-frames=256", "--chunk-size=60000", "--native=false"},
                Map.of("LIVEHUB_MERGE_WRITE_WINDOW_MS", "80", "LIVEHUB_WORKER_THREADS", "1",
                        "LIVEHUB_TCP_NODELAY", "false", "LIVEHUB_CHUNK_SIZE", "128"));
        assertEquals(java.time.Duration.ZERO, o.fanOut().hubConfig().mergeWriteWindow());
        assertEquals(256, o.fanOut().hubConfig().subscriberQueueFrames());
        assertTrue(o.fanOut().hubConfig().gopCacheFrames() < 256, "the GOP cache shrinks to fit the queue");
        io.livehub.rtmp.RtmpConfig rtmp = o.fanOut().applyTo(io.livehub.rtmp.RtmpConfig.builder()).build();
        assertEquals(60000, rtmp.chunkSize());
        assertFalse(rtmp.tcpNoDelay());
        assertFalse(o.fanOut().nativeTransport());
        assertEquals(1, o.fanOut().workerThreads());

        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--chunk-size=64"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--queue-frames=x"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--native=maybe"}, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[0], Map.of("LIVEHUB_MERGE_WRITE_WINDOW_MS", "-1")));
    }

    @Test
    void limitsFromFlagsOverEnvironment() {
        LimitOptions d = ServerOptions.parse(new String[0], Map.of()).limits();
        io.livehub.http.HttpServerConfig http = d.applyTo(io.livehub.http.HttpServerConfig.builder()).build();
        assertEquals(java.time.Duration.ofSeconds(10), http.requestHeadTimeout());
        assertEquals(io.livehub.net.ConnectionLimits.of(256, 10_000), http.connectionLimits());
        assertEquals(java.time.Duration.ofSeconds(20),
                d.applyTo(io.livehub.hub.HubConfig.defaults()).writeTimeout());
        assertEquals(128, d.applyTo(io.livehub.rtmp.RtmpConfig.builder()).build().maxConnectionsPerAddress());

        LimitOptions o = ServerOptions.parse(new String[] {"--http-head-timeout=3", "--write-timeout=0",
                "--rtmp-max-connections-per-ip=5", "--api-allowed-origins=https://a.example, https://b.example"},
                Map.of("LIVEHUB_HTTP_MAX_CONNECTIONS_PER_IP", "9", "LIVEHUB_HTTP_HEAD_TIMEOUT", "7",
                        "LIVEHUB_API_ALLOWED_HOSTS", "live.example.com")).limits();
        http = o.applyTo(io.livehub.http.HttpServerConfig.builder()).build();
        assertEquals(java.time.Duration.ofSeconds(3), http.requestHeadTimeout());
        assertEquals(9, http.connectionLimits().perAddress());
        assertEquals(java.time.Duration.ZERO, o.applyTo(io.livehub.hub.HubConfig.defaults()).writeTimeout());
        assertEquals(5, o.applyTo(io.livehub.rtmp.RtmpConfig.builder()).build().maxConnectionsPerAddress());
        assertEquals(java.util.List.of("https://a.example", "https://b.example"), o.apiAllowedOrigins());
        assertEquals(java.util.List.of("live.example.com"), o.apiAllowedHosts());
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[] {"--http-max-connections=0"}, Map.of()));
    }

    @Test
    void hlsOptionsFromFlagsOverEnvironment() {
        io.livehub.hls.HlsConfig d = ServerOptions.parse(new String[0], Map.of()).hls().config();
        assertEquals(io.livehub.hls.HlsSegmentFormat.TS, d.segmentFormat());
        assertFalse(d.lowLatency());
        assertNull(d.outputDirectory());

        io.livehub.hls.HlsConfig c = ServerOptions.parse(new String[] {"--hls-format=fmp4", "--hls-dir=" + dir},
                Map.of("LIVEHUB_HLS_FORMAT", "ts", "LIVEHUB_HLS_LOW_LATENCY", "true")).hls().config();
        assertEquals(io.livehub.hls.HlsSegmentFormat.FMP4, c.segmentFormat());
        assertTrue(c.lowLatency());
        assertEquals(dir, c.outputDirectory());

        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--hls-format=webm"}, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[0], Map.of("LIVEHUB_HLS_LOW_LATENCY", "sometimes")));
    }

    @Test
    void recordOptionsFromFlagsOverEnvironment() {
        RecordOptions off = ServerOptions.parse(new String[0], Map.of()).record();
        assertFalse(off.on());
        io.livehub.mp4.RecordConfig d = off.config(dir).build();
        assertEquals(dir.resolve("record").toAbsolutePath().normalize(), d.root());
        assertEquals(io.livehub.mp4.RecordPlan.SESSION, d.plan());
        assertEquals("/record/", d.httpPath());
        assertNull(d.retention());

        RecordOptions on = ServerOptions.parse(new String[] {"--record=on", "--record-format=flv", "--record-dir=" + dir},
                Map.of("RECORD", "off", "LIVEHUB_RECORD_SEGMENT", "600", "LIVEHUB_RECORD_RETENTION_DAYS", "7")).record();
        assertTrue(on.on());
        io.livehub.mp4.RecordConfig c = on.config(dir.resolve("data")).build();
        assertEquals(dir.toAbsolutePath().normalize(), c.root());
        assertEquals(io.livehub.mp4.RecordFormat.FLV, c.format());
        assertTrue(c.pathTemplate().endsWith(".flv"), c.pathTemplate());
        assertEquals(io.livehub.mp4.RecordPlan.SEGMENT, c.plan());
        assertEquals(java.time.Duration.ofMinutes(10), c.segmentDuration());
        assertEquals(java.time.Duration.ofDays(7), c.retention());
        assertTrue(c.all());

        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--record=maybe"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--record-format=mkv"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--record-segment=0"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--record-size=1"}, Map.of()));
    }

    @Test
    void generatedSecretIsKeptOwnerOnlyAndReused() throws Exception {
        SecretFile.Result first = SecretFile.loadOrCreate(dir.resolve("data"));
        assertTrue(first.created());
        assertTrue(first.secret().matches("[0-9a-f]{32}"), first.secret());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())));
        SecretFile.Result second = SecretFile.loadOrCreate(dir.resolve("data"));
        assertFalse(second.created());
        assertEquals(first.secret(), second.secret());
    }

    @Test
    void srtPassphraseComesFromTheFlagOrTheEnvironmentAndIsChecked() {
        assertNull(ServerOptions.parse(new String[0], Map.of()).srtPassphrase());
        assertNull(ServerOptions.parse(new String[0], Map.of("LIVEHUB_SRT_PASSPHRASE", "")).srtPassphrase());
        assertEquals("0123456789ab", ServerOptions.parse(new String[0],
                Map.of("LIVEHUB_SRT_PASSPHRASE", "0123456789ab")).srtPassphrase());
        assertEquals("flag-passphrase", ServerOptions.parse(new String[] {"--srt-passphrase=flag-passphrase"},
                Map.of("LIVEHUB_SRT_PASSPHRASE", "0123456789ab")).srtPassphrase());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[] {"--srt-passphrase=short"}, Map.of()));
        assertTrue(e.getMessage().contains("10 to 79"), e.getMessage());
    }

    @Test
    void serverStartsWithTheKeptSecretAndHooks() throws Exception {
        ServerOptions o = ServerOptions.parse(new String[] {"--rtmp-port=0", "--http-port=0", "--srt-port=0", "--host=127.0.0.1",
                "--data-dir=" + dir, "--hooks=http://127.0.0.1:9/hooks"}, Map.of());
        try (LivehubServer s = LivehubServer.start(o)) {
            String secret = Files.readString(dir.resolve("secret")).trim();
            assertEquals(secret, s.secrets().secret());
            assertTrue(s.publishUrl("localhost").endsWith("/live/livestream?secret=" + secret));
            assertEquals(1, s.hooks().config().urls(HookAction.ON_PUBLISH).size());
        }
        ServerOptions open = ServerOptions.parse(new String[] {"--rtmp-port=0", "--http-port=0", "--srt-port=0", "--host=127.0.0.1",
                "--data-dir=" + dir}, Map.of("LIVEHUB_SECRET", ""));
        try (LivehubServer s = LivehubServer.start(open)) {
            assertNull(s.secrets().secret());
            assertTrue(s.publishUrl("localhost").endsWith("/live/livestream"));
            assertNull(s.hooks());
        }
    }
}

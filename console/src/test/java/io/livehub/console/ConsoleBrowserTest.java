package io.livehub.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hls.HlsModule;
import io.livehub.hooks.api.ManagementApi;
import io.livehub.hooks.api.ManagementHttpService;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.Await;
import io.livehub.testing.BrowserHarness;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Interop;
import io.livehub.testing.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the console and the player page in headless Chromium while ffmpeg publishes over RTMP:
 * the console (with an API token, which it asks for) lists the stream with its codecs and size,
 * and the player page plays it by itself with HTTP-FLV (mpegts.js) and with HLS (hls.js), with
 * no page error.
 */
@Tag("interop")
class ConsoleBrowserTest {

    private static final String TOKEN = "console-test-token";

    @TempDir
    Path dir;

    /** Runs browser-tests/page.mjs and returns its JSON line, or fails with its output. */
    private Map<String, Object> page(BrowserHarness harness, String url, String until, String report, String allow)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(harness.dir().resolve("page.mjs").toString(), "--url", url,
                "--until", until, "--report", report, "--timeout", "30", "--chromium", Interop.require("chromium")));
        if (allow != null) {
            args.addAll(List.of("--allow", allow));
        }
        ExternalProcess.Result r = ExternalProcess.run(dir, 80, "node", args.toArray(String[]::new));
        Map<String, Object> json = null;
        for (String line : r.output().split("\n")) {
            if (line.startsWith("{\"ok\":")) {
                json = Json.parseObject(line);
            }
        }
        assertTrue(r.exitCode() == 0 && json != null && Boolean.TRUE.equals(json.get("ok")), r.describe());
        return json;
    }

    private static String plays(double seconds) {
        return "(() => { const p = window.livehubPlayer; if (p && p.errors.length) throw new Error(p.errors[0]);"
                + " return document.getElementById('video').currentTime > " + seconds + "; })()";
    }

    @Test
    void consoleListsALiveStreamAndThePlayerPagePlaysItWithFlvAndHls() throws Exception {
        BrowserHarness harness = BrowserHarness.require();
        MediaServer server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(HttpFlvModule.builder().build())
                .module(HlsModule.builder().build())
                .module(ConsoleModule.builder().build()).build();
        server.httpRoutes().add(new ManagementHttpService(new ManagementApi(server), TOKEN));
        try (server) {
            server.start();
            String base = "http://127.0.0.1:" + server.port("http");
            String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/c";
            try (ExternalProcess pub = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-t", "120", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
                    "-c:a", "aac", "-f", "flv", rtmp)) {
                Await.live(server, StreamKey.of("live", "c"), 25);

                // The console meets a 401, shows its token form; the "user" types the token.
                String listed = "(() => { const f = document.getElementById('token-form');"
                        + " if (!f.hidden && !window.__typed) { window.__typed = true;"
                        + " document.getElementById('token').value = '" + TOKEN + "'; f.requestSubmit(); }"
                        + " const row = document.querySelector('tr[data-stream=\"live/c\"]');"
                        + " return row !== null && row.textContent.includes('320x240'); })()";
                Map<String, Object> console = page(harness, base + "/", listed,
                        "JSON.stringify({typed: window.__typed === true, row: document.querySelector("
                                + "'tr[data-stream=\"live/c\"]')?.textContent ?? ''})", "401");
                Map<String, Object> seen = Json.parseObject(String.valueOf(console.get("report")));
                assertEquals(Boolean.TRUE, seen.get("typed"), "the console asked for the token");
                String row = String.valueOf(seen.get("row"));
                assertTrue(row.contains("live/c") && row.contains("H264") && row.contains("AAC"), row);

                Map<String, Object> flv = page(harness, base + "/players/?app=live&stream=c&type=flv", plays(3),
                        "JSON.stringify(window.livehubPlayer)", null);
                Map<String, Object> flvState = Json.parseObject(String.valueOf(flv.get("report")));
                assertEquals("flv", flvState.get("type"));
                assertEquals(base + "/live/c.flv", flvState.get("url"));

                Map<String, Object> hls = page(harness, base + "/players/?app=live&stream=c&type=hls", plays(3),
                        "JSON.stringify(window.livehubPlayer)", null);
                assertEquals("hls", Json.parseObject(String.valueOf(hls.get("report"))).get("type"));
            }
        }
    }
}

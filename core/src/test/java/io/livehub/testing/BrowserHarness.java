package io.livehub.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * Plays a stream in headless Chromium through the npm project in {@code browser-tests/} at
 * the repository's root: {@code node browser-tests/play.mjs} opens a page with a browser
 * player (mpegts.js, ...), waits for the video element to play, and prints one JSON line that
 * this class reads into a {@link Result}.
 *
 * <p>Follows the interop rules of {@link Interop}: when node, Chromium or the npm packages
 * ({@code npm ci} in {@code browser-tests/}) are missing, the test is skipped locally and
 * fails with {@code -Dlivehub.interop.required=true}. Nothing is installed at run time.
 *
 * <p>The folder is found by walking up from the working directory, or given with
 * {@code -Dlivehub.browser.dir=PATH}; the Chromium executable is the {@code chromium} on PATH.
 */
public final class BrowserHarness {

    private final Path dir;
    private final String chromium;

    private BrowserHarness(Path dir, String chromium) {
        this.dir = dir;
        this.chromium = chromium;
    }

    /** Checks that node, Chromium and the harness with its packages are there; skips or fails if not. */
    public static BrowserHarness require() {
        Interop.require("node");
        String chromium = Interop.require("chromium");
        Path dir = locate();
        if (dir == null) {
            missing("the browser-tests folder (with play.mjs) was not found above " + Path.of("").toAbsolutePath());
        }
        for (String pkg : dependencies(dir)) {
            if (!Files.isRegularFile(dir.resolve("node_modules").resolve(pkg).resolve("package.json"))) {
                missing("npm package " + pkg + " is not installed in " + dir + " (run: npm ci --prefix " + dir + ")");
            }
        }
        return new BrowserHarness(dir, chromium);
    }

    /** Returns the harness folder. */
    public Path dir() {
        return dir;
    }

    /** Starts describing a playback of {@code url} with the player adapter {@code player} (e.g. "mpegts"). */
    public Playback playback(String player, String url) {
        return new Playback(player, url);
    }

    private static Path locate() {
        String given = System.getProperty("livehub.browser.dir");
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given).toAbsolutePath().normalize();
            return Files.isRegularFile(p.resolve("play.mjs")) ? p : null;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("browser-tests");
            if (Files.isRegularFile(candidate.resolve("play.mjs"))) {
                return candidate;
            }
        }
        return null;
    }

    /** Returns the names of the dependencies in the harness's package.json. */
    private static List<String> dependencies(Path dir) {
        try {
            Object deps = Json.at(Json.parse(Files.readString(dir.resolve("package.json"))), "dependencies");
            return deps instanceof Map<?, ?> m ? m.keySet().stream().map(String::valueOf).toList() : List.of();
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError("cannot read " + dir.resolve("package.json"), e);
        }
    }

    private static void missing(String msg) {
        if (Boolean.getBoolean("livehub.interop.required")) {
            throw new AssertionError(msg + ", and interop tests are required");
        }
        Assumptions.abort(msg + "; skipping interop test");
    }

    /** One playback check: what to play, for how long, and what to expect. */
    public final class Playback {
        private final String player;
        private final String url;
        private double seconds = 3;
        private int width = -1;
        private int height = -1;
        private int timeoutSeconds = 20;
        private Path screenshot;

        private Playback(String player, String url) {
            this.player = player;
            this.url = url;
        }

        /** The video's currentTime must advance by this many seconds (default 3). */
        public Playback seconds(double s) {
            this.seconds = s;
            return this;
        }

        /** The decoded video must have this size (videoWidth x videoHeight). */
        public Playback size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        /** Time for the whole check, from opening the page (default 20 s). */
        public Playback timeoutSeconds(int s) {
            this.timeoutSeconds = s;
            return this;
        }

        /** Saves a PNG of the video element here at the end. */
        public Playback screenshot(Path png) {
            this.screenshot = png;
            return this;
        }

        /** Runs the check; the node process's output goes to a log file in {@code workDir}. */
        public Result run(Path workDir) throws IOException, InterruptedException {
            List<String> args = new ArrayList<>(List.of(dir.resolve("play.mjs").toString(),
                    "--player", player, "--url", url, "--seconds", String.format(Locale.ROOT, "%.3f", seconds),
                    "--timeout", String.valueOf(timeoutSeconds), "--chromium", chromium));
            if (width >= 0) {
                args.addAll(List.of("--width", String.valueOf(width), "--height", String.valueOf(height)));
            }
            if (screenshot != null) {
                Files.createDirectories(screenshot.toAbsolutePath().getParent());
                args.addAll(List.of("--screenshot", screenshot.toAbsolutePath().toString()));
            }
            ExternalProcess.Result r = ExternalProcess.run(workDir, timeoutSeconds + 40, "node",
                    args.toArray(String[]::new));
            return Result.of(r);
        }
    }

    /**
     * What play.mjs reported: {@code json} is its whole JSON line (null when it printed none),
     * {@code process} the node process's exit code and output.
     */
    public record Result(Map<String, Object> json, ExternalProcess.Result process) {

        static Result of(ExternalProcess.Result process) {
            Map<String, Object> json = null;
            String[] lines = process.output().split("\n");
            for (int i = lines.length - 1; i >= 0 && json == null; i--) {
                String line = lines[i].trim();
                if (line.startsWith("{\"ok\":")) {
                    json = Json.parseObject(line);
                }
            }
            return new Result(json, process);
        }

        /** Whether the player played: exit code 0 and "ok": true. */
        public boolean ok() {
            return process.exitCode() == 0 && json != null && Boolean.TRUE.equals(json.get("ok"));
        }

        /** Seconds the video's currentTime advanced after playback started. */
        public double advanced() {
            return number("advanced");
        }

        public int videoWidth() {
            return (int) number("videoWidth");
        }

        public int videoHeight() {
            return (int) number("videoHeight");
        }

        /** Errors the player, the video element or the page reported. */
        public List<String> errors() {
            Object e = json == null ? null : json.get("errors");
            List<String> out = new ArrayList<>();
            if (e instanceof List<?> list) {
                for (Object o : list) {
                    out.add(String.valueOf(o));
                }
            } else if (json == null) {
                out.add("no result line");
            }
            return out;
        }

        /** A value in the JSON line by its path of keys, e.g. {@code get("info", "mediaInfo", "hasAudio")}. */
        public Object get(String... keys) {
            return Json.at(json, keys);
        }

        /** For assertion messages: the command, exit code and output (which includes the JSON line). */
        public String describe() {
            return process.describe();
        }

        private double number(String key) {
            return get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    /**
     * Counts the colours of a screenshot after dropping the low 4 bits of each channel, so that
     * noise does not count: a decoded test pattern has many, a blank or black frame one or two.
     */
    public static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y) & 0xF0F0F0);
            }
        }
        return colours.size();
    }
}

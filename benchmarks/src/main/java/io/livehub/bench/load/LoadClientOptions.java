package io.livehub.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the settings of a {@link LoadClient} run, parsed from {@code --name=value} or
 * {@code --name value} arguments.
 *
 * <p>Thread-safety: immutable.
 *
 * @param url the stream: {@code rtmp://host[:port]/app/stream}, {@code http://host[:port]/app/stream.flv} or
 *            {@code srt://host[:port]?streamid=ID} (MPEG-TS over SRT; port 10080 by default)
 * @param players how many players to open, 1..100000
 * @param rampPerSecond how many players to open per second
 * @param settleSeconds the wait between the last player starting and the measurement window
 * @param durationSeconds the measurement window
 * @param threads event loop threads of the players
 * @param transport {@code auto} (epoll where available), {@code epoll} or {@code nio}
 * @param playTimeoutMillis how long a player may take to reach the playing state
 * @param serverPids processes whose CPU time and memory are reported (a server and its workers)
 * @param clockTicks clock ticks per second of {@code /proc/PID/stat} ({@code getconf CLK_TCK})
 * @param summary a file that receives the results as {@code key=value} lines, or null
 * @param label a name for the run, written to the summary
 * @param quiet whether to leave out the per-second lines
 * @param fps the publisher's video frame rate, or 0 when unknown; with it the summary counts the players
 *            that received at least {@value #FED_SHARE_PERCENT} % of the window's frames ({@code players_fed})
 */
public record LoadClientOptions(URI url, int players, double rampPerSecond, int settleSeconds, int durationSeconds,
        int threads, String transport, long playTimeoutMillis, List<Long> serverPids, int clockTicks, Path summary,
        String label, boolean quiet, double fps) {

    /**
     * Share of the window's published frames a player must receive to count as fully fed: a margin for the
     * window's edges, which a server's merged writes (up to SRS's 350 ms, 9 frames at 25 fps) shift.
     */
    static final int FED_SHARE_PERCENT = 95;

    static final String USAGE = String.join("\n",
            "Usage: java -cp benchmarks.jar io.livehub.bench.load.LoadClient --url=URL [options]",
            "  --url=URL            rtmp://127.0.0.1:1935/live/bench, http://127.0.0.1:8080/live/bench.flv",
            "                       or srt://127.0.0.1:10080?streamid=live/bench",
            "  --players=N          players to open (default 100)",
            "  --ramp=R             players opened per second (default 200)",
            "  --settle=S           seconds between the last player and the window (default 5)",
            "  --duration=S         measurement window in seconds (default 60)",
            "  --threads=T          event loop threads (default 2)",
            "  --transport=T        auto, epoll or nio (default auto)",
            "  --play-timeout=MS    how long a player may take to play (default 15000)",
            "  --server-pids=P,P    processes to measure CPU and RSS of (default none)",
            "  --clk-tck=N          clock ticks per second of /proc/PID/stat (default 100)",
            "  --summary=FILE       write the results as key=value lines",
            "  --label=NAME         a name for the run in the summary",
            "  --fps=F              the publisher's video frame rate; adds players_fed (players that got",
            "                       at least " + FED_SHARE_PERCENT + " % of the window's frames) to the summary",
            "  --quiet              no per-second lines");

    /** Checks the values. */
    public LoadClientOptions {
        String scheme = url.getScheme();
        if (!"rtmp".equals(scheme) && !"http".equals(scheme) && !"srt".equals(scheme)) {
            throw new IllegalArgumentException("url must be rtmp://, http:// or srt://: " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("url has no host: " + url);
        }
        if (players < 1 || players > 100_000) {
            throw new IllegalArgumentException("players must be 1..100000: " + players);
        }
        if (!(rampPerSecond > 0)) {
            throw new IllegalArgumentException("ramp must be positive: " + rampPerSecond);
        }
        if (settleSeconds < 0 || durationSeconds < 1 || durationSeconds > 24 * 3600) {
            throw new IllegalArgumentException("settle must be >= 0 and duration 1..86400 s");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64: " + threads);
        }
        if (!List.of("auto", "epoll", "nio").contains(transport)) {
            throw new IllegalArgumentException("transport must be auto, epoll or nio: " + transport);
        }
        if (playTimeoutMillis < 100 || playTimeoutMillis > 300_000) {
            throw new IllegalArgumentException("play timeout must be 100..300000 ms: " + playTimeoutMillis);
        }
        if (clockTicks < 1) {
            throw new IllegalArgumentException("clk-tck must be positive: " + clockTicks);
        }
        if (!(fps >= 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be 0..1000: " + fps);
        }
        serverPids = List.copyOf(serverPids);
    }

    /** Returns whether the players speak SRT (MPEG-TS over SRT). */
    boolean srt() {
        return "srt".equals(url.getScheme());
    }

    /** Returns the {@code streamid} query parameter of an {@code srt://} URL, decoded, or null. */
    String srtStreamId() {
        String q = url.getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            if (kv.startsWith("streamid=")) {
                return java.net.URLDecoder.decode(kv.substring(9), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Returns whether the players speak RTMP (else HTTP-FLV). */
    boolean rtmp() {
        return "rtmp".equals(url.getScheme());
    }

    /**
     * Parses arguments.
     *
     * @throws IllegalArgumentException with a message for the user when an argument is wrong
     */
    static LoadClientOptions parse(String[] args) {
        URI url = null;
        int players = 100;
        double ramp = 200;
        int settle = 5;
        int duration = 60;
        int threads = 2;
        String transport = "auto";
        long playTimeout = 15_000;
        List<Long> pids = new ArrayList<>();
        int clockTicks = 100;
        Path summary = null;
        String label = "";
        boolean quiet = false;
        double fps = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                name = a.substring(2);
                if (name.equals("quiet") || name.equals("help")) {
                    value = "";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
            }
            try {
                switch (name) {
                    case "url" -> url = URI.create(value);
                    case "players" -> players = Integer.parseInt(value);
                    case "ramp" -> ramp = Double.parseDouble(value);
                    case "settle" -> settle = Integer.parseInt(value);
                    case "duration" -> duration = Integer.parseInt(value);
                    case "threads" -> threads = Integer.parseInt(value);
                    case "transport" -> transport = value;
                    case "play-timeout" -> playTimeout = Long.parseLong(value);
                    case "server-pids" -> {
                        for (String p : value.split(",")) {
                            if (!p.isBlank()) {
                                pids.add(Long.parseLong(p.trim()));
                            }
                        }
                    }
                    case "clk-tck" -> clockTicks = Integer.parseInt(value);
                    case "summary" -> summary = Path.of(value);
                    case "label" -> label = value;
                    case "quiet" -> quiet = true;
                    case "fps" -> fps = Double.parseDouble(value);
                    case "help" -> throw new IllegalArgumentException("help");
                    default -> throw new IllegalArgumentException("unknown option --" + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " needs a number, not '" + value + "'");
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        return new LoadClientOptions(url, players, ramp, settle, duration, threads, transport, playTimeout, pids,
                clockTicks, summary, label, quiet, fps);
    }
}

package io.livehub.console;

import io.livehub.MediaServer;
import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Serves a web console and browser players from the jar on the shared HTTP endpoint:
 *
 * <ul>
 *   <li>{@code /} (and {@code /console/}): the live streams with codecs, size, bitrates,
 *       viewers and uptime, read from the management API's {@code /api/v1/streams} every few
 *       seconds, and copyable publish and play URLs (RTMP, SRT, HTTP-FLV, HLS);</li>
 *   <li>{@code /players/?app={app}&stream={stream}[&type=flv|hls]}: a player that starts
 *       muted by itself, with HTTP-FLV (mpegts.js) or HLS (hls.js, or the browser's own);</li>
 *   <li>{@code /console/config.json}: the server's version and bound ports, from which the
 *       pages build the URLs (no credentials needed: it says nothing a port scan would not).</li>
 * </ul>
 *
 * <p>The stream list needs the management API ({@code ManagementHttpService} of
 * {@code livehub-hooks}) on the same endpoint. When the API asks for a token the console asks
 * the user for it, keeps it in the tab's {@code sessionStorage} and sends it as
 * {@code Authorization: Bearer}. The player libraries are the WebJar of hls.js and a pinned
 * copy of mpegts.js in this jar: nothing is fetched at run time, and the pages load no script
 * from another origin (their Content-Security-Policy says so).
 *
 * <p>Thread-safety: the server calls {@link #start} and {@link #stop} once each.
 */
public final class ConsoleModule implements ServerModule {

    static final String WWW = "io/livehub/console/www/";
    static final String HLS_WEBJAR = "META-INF/resources/webjars/hls.js/";
    static final String MPEGTS = "io/livehub/console/vendor/mpegts.js/mpegts.js";

    /** Scripts, styles and API calls from this origin only; players feed video from blob: URLs. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'self'";

    private ServerContext ctx;
    private HttpService files;
    private HttpService config;

    private ConsoleModule() {
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public void start(ServerContext context) {
        this.ctx = context;
        ClassLoader loader = ConsoleModule.class.getClassLoader();
        String hls = HLS_WEBJAR + webjarVersion(loader, "hls.js") + "/dist/hls.min.js";
        String page = "no-cache";
        String vendor = "public, max-age=86400";
        Map<String, StaticResources.Entry> m = new LinkedHashMap<>();
        m.put("/", new StaticResources.Entry(WWW + "index.html", page));
        m.put("/index.html", new StaticResources.Entry(WWW + "index.html", page));
        m.put("/console/", new StaticResources.Entry(WWW + "index.html", page));
        m.put("/console/console.js", new StaticResources.Entry(WWW + "console.js", page));
        m.put("/console/console.css", new StaticResources.Entry(WWW + "console.css", page));
        m.put("/console/vendor/hls.min.js", new StaticResources.Entry(hls, vendor));
        m.put("/console/vendor/mpegts.js", new StaticResources.Entry(MPEGTS, vendor));
        m.put("/players/", new StaticResources.Entry(WWW + "players/index.html", page));
        m.put("/players/index.html", new StaticResources.Entry(WWW + "players/index.html", page));
        m.put("/players/player.js", new StaticResources.Entry(WWW + "players/player.js", page));
        files = new StaticResources(loader, m, Map.of("Content-Security-Policy", CSP));
        config = this::config;
        context.http().add(config);
        context.http().add(files);
    }

    @Override
    public CompletionStage<Void> stop() {
        if (ctx != null) {
            ctx.http().remove(files);
            ctx.http().remove(config);
            ctx = null;
        }
        return CompletableFuture.completedFuture(null);
    }

    private boolean config(ChannelHandlerContext c, FullHttpRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        if (!(q < 0 ? uri : uri.substring(0, q)).equals("/console/config.json")) {
            return false;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            HttpResponses.text(c, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
            return true;
        }
        StringBuilder json = new StringBuilder("{\"version\":\"").append(jsonText(MediaServer.VERSION))
                .append("\",\"commit\":\"").append(jsonText(MediaServer.COMMIT)).append("\",\"ports\":{");
        String sep = "";
        for (Map.Entry<String, Integer> e : new TreeMap<>(ctx.ports()).entrySet()) {
            json.append(sep).append('"').append(jsonText(e.getKey())).append("\":").append(e.getValue());
            sep = ",";
        }
        json.append("}}\n");
        HttpResponses.send(c, request, HttpResponseStatus.OK, "application/json",
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        return true;
    }

    /** Escapes what a JSON string cannot hold as is; port names and versions are plain ASCII anyway. */
    private static String jsonText(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /** Reads the version of an npm WebJar from its Maven metadata, which is in every WebJar. */
    static String webjarVersion(ClassLoader loader, String npmName) {
        String props = "META-INF/maven/org.webjars.npm/" + npmName + "/pom.properties";
        try (InputStream in = loader.getResourceAsStream(props)) {
            if (in == null) {
                throw new IllegalStateException("the WebJar of " + npmName + " is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a {@link ConsoleModule}; it has no options yet. */
    public static final class Builder {
        private Builder() {
        }

        public ConsoleModule build() {
            return new ConsoleModule();
        }
    }
}

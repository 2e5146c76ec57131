package io.livehub.examples.full;

import io.livehub.MediaServer;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.hooks.HttpHooks;
import io.livehub.hooks.HttpHooksConfig;
import io.livehub.hooks.SecretAuthorizer;
import io.livehub.hooks.api.ApiAccess;
import io.livehub.hooks.api.ManagementApi;
import io.livehub.hooks.api.ManagementHttpService;
import io.livehub.http.HttpServerConfig;
import io.livehub.hls.HlsModule;
import io.livehub.mp4.Mp4RecordModule;
import io.livehub.mp4.RecordConfig;
import io.livehub.mp4.RecordHttpAccess;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpConfig;
import io.livehub.rtmp.RtmpModule;
import io.livehub.srt.SrtModule;
import io.livehub.virtual.VirtualLiveModule;
import io.livehub.push.ForwardRule;
import io.livehub.push.PushConfig;
import io.livehub.push.PushModule;
import io.livehub.webrtc.WebRtcModule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the full Livehub server with embedded defaults that follow SRS and SRS Stack: RTMP on 1935,
 * HTTP on 8080 (HTTP-FLV at {@code /{app}/{stream}.flv}), data under {@code ./data}, publishing
 * protected by a stream secret, and optional HTTP callbacks. Run it with
 * {@code java -jar examples/target/livehub-server.jar}; see {@link ServerOptions} for the flags
 * and environment variables.
 *
 * <p>The publish secret is {@code LIVEHUB_SECRET}; when that is unset, one is generated at the
 * first start and kept in {@code DATA_DIR/secret} (mode 600); when it is empty, anyone may
 * publish. Encoders send it as {@code ?secret=...} or inside the stream name
 * ({@code livestreamsecret...}), see {@link SecretAuthorizer}. {@code LIVEHUB_HOOKS} lists URLs
 * that receive every event with SRS's (or, with {@code LIVEHUB_HOOK_STYLE=srs-stack}, SRS
 * Stack's) bodies, see {@link HttpHooks}. The management API ({@link ManagementHttpService}) is
 * served under {@code /api/v1/} on the HTTP port; it asks for {@code LIVEHUB_API_TOKEN} (Bearer,
 * or Basic with any user name) and, when that is unset, answers on loopback only.
 *
 * <p>Thread-safety: {@link #close()} may be called from any thread.
 */
public final class LivehubServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("livehub");

    private final MediaServer server;
    private final SecretAuthorizer secrets;
    private final HttpHooks hooks;
    private final ManagementApi api;

    private LivehubServer(MediaServer server, SecretAuthorizer secrets, HttpHooks hooks, ManagementApi api) {
        this.server = server;
        this.secrets = secrets;
        this.hooks = hooks;
        this.api = api;
    }

    public static void main(String[] args) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args, System.getenv());
        } catch (ServerOptions.HelpRequested e) {
            System.out.println(ServerOptions.USAGE);
            return;
        } catch (ServerOptions.VersionRequested e) {
            System.out.println(OperatorOptions.versionLine());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("livehub-server: " + e.getMessage());
            System.err.println(ServerOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            LivehubServer running = start(options);
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "livehub-shutdown"));
            running.logHowToPublish();
        } catch (Exception e) {
            System.err.println("livehub-server: cannot start: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Starts the server described by {@code options}; used by {@link #main} and by tests. */
    public static LivehubServer start(ServerOptions options) throws Exception {
        Files.createDirectories(options.dataDir());
        String secret = options.secret();
        if (secret == null) {
            SecretFile.Result kept = SecretFile.loadOrCreate(options.dataDir());
            if (kept.created()) {
                log.info("generated a publish secret and saved it in {}", kept.file());
            } else {
                log.info("using the publish secret saved in {}", kept.file());
            }
            secret = kept.secret();
        }
        SecretAuthorizer secrets = new SecretAuthorizer(secret);

        HttpHooks hooks = null;
        Duration decisionTimeout = Duration.ofSeconds(5);
        // One server id for the callbacks and the management API, so a hook receiver can match them.
        String serverId = MediaServer.newServerId();
        if (options.hasHooks()) {
            HttpHooksConfig.Builder b = HttpHooksConfig.builder().style(options.hookStyle()).serverId(serverId);
            options.hooks().forEach(b::allEvents);
            options.eventHooks().forEach((action, urls) -> urls.forEach(u -> b.url(action, u)));
            hooks = new HttpHooks(b.build());
            Duration budget = hooks.config().decisionBudget().plusSeconds(1);
            if (budget.compareTo(decisionTimeout) > 0) {
                decisionTimeout = budget;
            }
            log.info("HTTP callbacks ({} bodies): every event to {}, per event {}", options.hookStyle(),
                    options.hooks().stream().map(u -> HttpHooks.redact(URI.create(u))).toList(),
                    options.eventHooks().entrySet().stream().map(e -> e.getKey().action() + " "
                            + e.getValue().stream().map(u -> HttpHooks.redact(URI.create(u))).toList()).toList());
        }

        Path mediaDir = options.virtual().mediaDir(options.dataDir());
        Files.createDirectories(mediaDir);
        VirtualLiveModule virtual = VirtualLiveModule.builder().mediaRoot(mediaDir).httpApi(options.apiToken())
                .build();

        int[] httpPort = new int[1];
        int[] rtmpPort = new int[1];
        int[] srtPort = new int[1];
        MediaServer.Builder builder = MediaServer.builder()
                .serverId(serverId)
                .http(options.limits().applyTo(HttpServerConfig.builder().host(options.host())
                        .port(options.httpPort())).build())
                .hub(options.limits().applyTo(options.fanOut().hubConfig()))
                .workerThreads(options.fanOut().workerThreads())
                .nativeTransport(options.fanOut().nativeTransport())
                .module(options.limits().applyTo(options.fanOut()
                        .applyTo(RtmpModule.builder().host(options.host()).port(options.rtmpPort()))).build())
                .module(HttpFlvModule.builder().build())
                .module(SrtModule.builder().host(options.host()).port(options.srtPort())
                        .passphrase(options.srtPassphrase()).build())
                .module(HlsModule.builder().config(options.hls().config()).build())
                .module(virtual)
                .module(WebRtcModule.builder().host(options.host()).rtcPort(options.rtc().port())
                        .candidates(options.rtc().candidates()).build())
                .module(pushModule(options))
                .decisionTimeout(decisionTimeout)
                // The secret is checked first, so a refused encoder costs no callback.
                .listener(secrets);
        if (hooks != null) {
            builder.listener(hooks);
        }
        builder.listener(new MediaServerListener() {
            @Override
            public CompletionStage<Decision> onPublish(PublishEvent e) {
                String host = hostOf(e.client().tcUrl());
                String path = e.stream().path();
                log.info("publish {} from {} ({}): play it at rtmp://{}:{}/{}, http://{}:{}/{}.flv, "
                        + "http://{}:{}/{}.m3u8 or srt://{}:{}?streamid=#!::r={},m=request{}",
                        path, e.client().ip(), e.protocol(), host, rtmpPort[0], path, host, httpPort[0], path,
                        host, httpPort[0], path, host, srtPort[0], path,
                        options.srtPassphrase() == null ? "" : "&passphrase=(the SRT passphrase)");
                return Decision.allowStage();
            }

            @Override
            public CompletionStage<Decision> onPlay(PlayEvent e) {
                log.info("play {} by {} ({})", e.stream().path(), e.client().ip(), e.protocol());
                return Decision.allowStage();
            }
        });
        if (options.record().on()) {
            ApiAccess access = new ApiAccess(options.apiToken());
            RecordConfig record = options.record().config(options.dataDir())
                    .httpAccess((remote, authorization) -> switch (access.decide(remote, authorization)) {
                        case ALLOW -> RecordHttpAccess.Verdict.ALLOW;
                        case UNAUTHORIZED -> RecordHttpAccess.Verdict.UNAUTHORIZED;
                        case FORBIDDEN -> RecordHttpAccess.Verdict.FORBIDDEN;
                    })
                    .build();
            builder.module(new Mp4RecordModule(record));
            log.info("recording every stream ({}) under {}", record.format(), record.root());
        }
        options.operator().applyTo(builder);
        MediaServer server = builder.build();
        ManagementApi api = new ManagementApi(server, secrets);
        server.httpRoutes().add(new ManagementHttpService(api, options.limits().apiGuard(options.apiToken())));
        try {
            server.start();
        } catch (Exception e) {
            if (hooks != null) {
                hooks.close();
            }
            throw e;
        }
        rtmpPort[0] = server.port("rtmp");
        srtPort[0] = server.port("srt");
        httpPort[0] = server.port("http");
        log.info("management API at http://{}:{}/api/v1/ ({})", options.host(), httpPort[0],
                options.apiToken() == null
                        ? "loopback only; set LIVEHUB_API_TOKEN to serve it to other hosts with a token"
                        : "Bearer token or Basic password from LIVEHUB_API_TOKEN");
        startVirtualStreams(virtual, options.virtual(), secrets);
        return new LivehubServer(server, secrets, hooks, api);
    }

    /** Returns the push module: its HTTP API (behind the API token) and the forward rule of {@code LIVEHUB_FORWARD}. */
    private static PushModule pushModule(ServerOptions options) {
        PushConfig.Builder push = PushConfig.builder().httpApi(true).apiToken(options.apiToken());
        ForwardRule rule = options.forward().rule();
        if (rule != null) {
            push.forward(rule);
            log.info("forwarding every stream to {}", rule.destinations().stream()
                    .map(d -> HttpHooks.redact(URI.create(d.url()))).toList());
        }
        return PushModule.builder().config(push.build()).build();
    }

    /** Starts the streams of {@code LIVEHUB_VIRTUAL}, looped forever, with the publish secret. */
    private static void startVirtualStreams(VirtualLiveModule virtual, VirtualOptions options,
                                            SecretAuthorizer secrets) {
        String secret = secrets.secret();
        Map<String, String> params = secret == null ? Map.of() : Map.of("secret", secret);
        options.streams().forEach((key, file) -> virtual
                .start(key, file, VirtualLiveModule.FOREVER, Duration.ZERO, params)
                .whenComplete((s, t) -> {
                    if (t != null) {
                        log.warn("virtual live {} from {} did not start: {}", key.path(), file, t.getMessage());
                    }
                }));
    }

    public MediaServer server() {
        return server;
    }

    /** Returns the publish secret authorizer, through which the secret can be changed at run time. */
    public SecretAuthorizer secrets() {
        return secrets;
    }

    /** Returns the management API that {@code /api/v1/} serves. */
    public ManagementApi api() {
        return api;
    }

    /** Returns the HTTP callbacks, or null when {@code LIVEHUB_HOOKS} named none. */
    public HttpHooks hooks() {
        return hooks;
    }

    /** Returns the URL to publish {@code live/livestream} to, with the secret when one is needed. */
    public String publishUrl(String host) {
        String secret = secrets.secret();
        return "rtmp://" + host + ":" + server.port("rtmp") + "/live/livestream"
                + (secret == null ? "" : "?secret=" + secret);
    }

    private void logHowToPublish() {
        String url = publishUrl("localhost");
        log.info("publish URL: {}", url);
        log.info("publish with: ffmpeg -re -f lavfi -i testsrc=size=640x360:rate=30 -f lavfi -i sine "
                + "-c:v libx264 -g 60 -c:a aac -f flv '{}'", url);
        String secret = secrets.secret();
        if (secret == null) {
            log.info("publishing needs no secret (LIVEHUB_SECRET is empty)");
        } else {
            log.info("encoders that cannot send '?secret=' can use the stream name livestreamsecret{} "
                    + "(players then use that name too); set LIVEHUB_SECRET to choose the secret, "
                    + "or to an empty value to publish without one", secret);
        }
    }

    /** Stops the server, gives queued callbacks up to 2 s to go out, then stops the callbacks. */
    @Override
    public void close() {
        server.close();
        if (hooks != null) {
            try {
                hooks.awaitIdle(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            hooks.close();
        }
    }

    private static String hostOf(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null || h.isEmpty() ? "localhost" : h;
        } catch (IllegalArgumentException e) {
            return "localhost";
        }
    }
}

package io.livehub.hooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.HlsSegmentEvent;
import io.livehub.event.MediaEvent;
import io.livehub.event.RecordBeginEvent;
import io.livehub.event.RecordEndEvent;
import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import java.util.Objects;

/**
 * Makes the JSON body of a callback from an event, field for field as SRS (5 and 6,
 * {@code srs_app_http_hooks.cpp}) or SRS Stack (its FAQ, "HTTP Callback") sends it.
 *
 * <p>SRS style: every body starts with {@code server_id}, {@code service_id}, {@code action},
 * {@code client_id}, {@code ip}, {@code vhost}, {@code app}; then
 * <ul>
 *   <li>{@code on_connect}: {@code stream} (empty), {@code param}, {@code tcUrl}, {@code pageUrl};</li>
 *   <li>{@code on_close}: {@code send_bytes}, {@code recv_bytes};</li>
 *   <li>{@code on_play}: {@code stream}, {@code tcUrl}, {@code param}, {@code pageUrl};</li>
 *   <li>other stream actions: {@code tcUrl}, {@code stream}, {@code param}; {@code on_dvr} adds
 *       {@code cwd}, {@code file}; {@code on_hls} adds {@code duration} (seconds), {@code cwd},
 *       {@code file}, {@code url}, {@code m3u8}, {@code m3u8_url}, {@code seq_no}; record
 *       actions add the SRS Stack record fields;</li>
 *   <li>every stream action ends with {@code stream_url} ({@code /app/stream}, prefixed by the
 *       vhost unless it is the default one) and {@code stream_id}.</li>
 * </ul>
 *
 * <p>SRS Stack style: {@code request_id}, {@code action}, {@code opaque}, {@code vhost},
 * {@code app}, {@code stream}; decisions add {@code param}; {@code on_record_begin} adds
 * {@code uuid}; {@code on_record_end} adds {@code uuid}, {@code artifact_code},
 * {@code artifact_path}, {@code artifact_url}; {@code on_close} adds {@code send_bytes},
 * {@code recv_bytes}; {@code on_hls} adds the SRS segment fields; {@code on_dvr} adds {@code file}.
 *
 * <p>The vhost is {@code __defaultVhost__} when the client named none; {@code param} is
 * {@code ?k=v&...} or empty (SRS's form); {@code client_id} is a string, as in SRS 5 and later.
 *
 * <p>Thread-safety: immutable.
 */
public final class HookBodies {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final HttpHooksConfig config;

    public HookBodies(HttpHooksConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Returns the body of {@code action} for {@code event} in the configured style.
     *
     * @param requestId the callback's id ({@code request_id} in SRS Stack bodies), the same for
     *                  every attempt and URL of one event
     */
    public ObjectNode body(HookAction action, MediaEvent event, String requestId) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(event, "event");
        return config.style() == HookStyle.SRS ? srs(action, event) : srsStack(action, event, requestId);
    }

    private ObjectNode srs(HookAction action, MediaEvent e) {
        ObjectNode o = JSON.objectNode();
        o.put("server_id", config.serverId());
        o.put("service_id", config.serviceId());
        o.put("action", action.action());
        o.put("client_id", e.clientId());
        o.put("ip", e.client().ip());
        o.put("vhost", vhost(e));
        o.put("app", app(e));
        switch (action) {
            case ON_CONNECT:
                o.put("stream", streamName(e));
                o.put("param", param(e));
                o.put("tcUrl", e.client().tcUrl());
                o.put("pageUrl", e.client().pageUrl());
                return o;
            case ON_CLOSE:
                putTraffic(o, e);
                return o;
            case ON_PLAY:
                o.put("stream", streamName(e));
                o.put("tcUrl", e.client().tcUrl());
                o.put("param", param(e));
                o.put("pageUrl", e.client().pageUrl());
                break;
            default:
                o.put("tcUrl", e.client().tcUrl());
                o.put("stream", streamName(e));
                o.put("param", param(e));
                break;
        }
        switch (action) {
            case ON_DVR:
                o.put("cwd", config.cwd());
                o.put("file", recordFile(e));
                break;
            case ON_HLS:
                putHls(o, e, true);
                break;
            case ON_RECORD_BEGIN:
            case ON_RECORD_END:
                putRecord(o, action, e);
                break;
            default:
                break;
        }
        if (e.stream() != null) {
            o.put("stream_url", streamUrl(e.stream()));
            o.put("stream_id", streamId(e.stream()));
        }
        return o;
    }

    private ObjectNode srsStack(HookAction action, MediaEvent e, String requestId) {
        ObjectNode o = JSON.objectNode();
        o.put("request_id", requestId == null ? "" : requestId);
        o.put("action", action.action());
        o.put("opaque", config.opaque());
        o.put("vhost", vhost(e));
        o.put("app", app(e));
        o.put("stream", streamName(e));
        if (action.isDecision()) {
            o.put("param", param(e));
        }
        switch (action) {
            case ON_CLOSE:
                putTraffic(o, e);
                break;
            case ON_HLS:
                putHls(o, e, false);
                break;
            case ON_DVR:
                o.put("file", recordFile(e));
                break;
            case ON_RECORD_BEGIN:
            case ON_RECORD_END:
                putRecord(o, action, e);
                break;
            default:
                break;
        }
        return o;
    }

    private static void putTraffic(ObjectNode o, MediaEvent e) {
        CloseEvent c = e instanceof CloseEvent ? (CloseEvent) e : null;
        o.put("send_bytes", c == null ? 0 : c.sendBytes());
        o.put("recv_bytes", c == null ? 0 : c.recvBytes());
    }

    private void putHls(ObjectNode o, MediaEvent e, boolean withCwd) {
        HlsSegmentEvent h = e instanceof HlsSegmentEvent ? (HlsSegmentEvent) e : null;
        o.put("duration", h == null ? 0.0 : h.duration().toMillis() / 1000.0);
        if (withCwd) {
            o.put("cwd", config.cwd());
        }
        o.put("file", h == null ? "" : h.file());
        o.put("url", h == null ? "" : h.url());
        o.put("m3u8", h == null ? "" : h.m3u8());
        o.put("m3u8_url", h == null ? "" : h.m3u8Url());
        o.put("seq_no", h == null ? 0 : h.seqNo());
    }

    private void putRecord(ObjectNode o, HookAction action, MediaEvent e) {
        if (e instanceof RecordBeginEvent) {
            o.put("uuid", ((RecordBeginEvent) e).recordId());
        } else if (e instanceof RecordEndEvent) {
            RecordEndEvent r = (RecordEndEvent) e;
            o.put("uuid", r.recordId());
            if (action == HookAction.ON_RECORD_END) {
                o.put("artifact_code", r.artifactCode());
                o.put("artifact_path", r.path() == null ? "" : r.path().toString());
                // The configured mapping wins: it knows the public address the recorder does not.
                String url = config.artifactUrl().apply(r);
                o.put("artifact_url", url != null && !url.isEmpty() ? url : r.url());
            }
        } else {
            o.put("uuid", "");
        }
    }

    private static String recordFile(MediaEvent e) {
        if (e instanceof RecordEndEvent && ((RecordEndEvent) e).path() != null) {
            return ((RecordEndEvent) e).path().toString();
        }
        if (e instanceof RecordBeginEvent && ((RecordBeginEvent) e).path() != null) {
            return ((RecordBeginEvent) e).path().toString();
        }
        return "";
    }

    private static String vhost(MediaEvent e) {
        String v;
        if (e instanceof ConnectEvent) {
            v = ((ConnectEvent) e).vhost();
        } else if (e instanceof CloseEvent) {
            v = e.stream() != null ? e.stream().vhost() : ((CloseEvent) e).vhost();
        } else {
            v = e.stream() == null ? "" : e.stream().vhost();
        }
        return v == null || v.isEmpty() ? StreamKey.DEFAULT_VHOST : v;
    }

    private static String app(MediaEvent e) {
        if (e instanceof ConnectEvent) {
            return ((ConnectEvent) e).app();
        }
        if (e instanceof CloseEvent) {
            String a = ((CloseEvent) e).app();
            return a.isEmpty() && e.stream() != null ? e.stream().app() : a;
        }
        return e.stream() == null ? "" : e.stream().app();
    }

    private static String streamName(MediaEvent e) {
        return e.stream() == null ? "" : e.stream().name();
    }

    private static String param(MediaEvent e) {
        return QueryParams.format(e.params());
    }

    /**
     * Returns SRS's {@code stream_url} of {@code key}: {@code /app/name}, with the vhost in
     * front unless it is the default one ({@code vhost/app/name}).
     */
    public static String streamUrl(StreamKey key) {
        String path = "/" + key.app() + "/" + key.name();
        return StreamKey.DEFAULT_VHOST.equals(key.vhost()) ? path : key.vhost() + path;
    }

    /**
     * Returns the {@code stream_id} of {@code key}: {@link StreamKey#id()}, the id the management
     * API serves the stream under ({@code /api/v1/streams/{id}}), so a hook receiver can look the
     * stream up with what it was sent.
     */
    public static String streamId(StreamKey key) {
        return key.id();
    }
}

package io.livehub.metrics;

import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.livehub.session.ClientSession;
import io.livehub.spi.ServerContext;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a server's counters at each scrape and turns them into Prometheus series: per server
 * (clients by protocol, live streams, traffic, bad input) and per live stream (viewers by
 * protocol, traffic, frames, dropped frames). Nothing is counted on the media path: every
 * value is read from core's accessors when Prometheus asks, so a stream's series exist exactly
 * while it is published.
 *
 * <p>Labels of a stream's series: {@code vhost}, {@code app}, {@code stream}; a stream's
 * counters start again at 0 with each new publication, which Prometheus reads as a counter
 * reset.
 *
 * <p>Thread-safety: {@link #collect()} may be called from any thread; scrapes are serialised
 * because the bytes of players that left are carried from one scrape to the next.
 */
final class ServerCollector implements MultiCollector {

    private final ServerContext ctx;
    private final boolean perStream;
    private final String version;

    // Guarded by this. The largest server totals seen: a session closing during a scrape may be
    // missed for that one scrape, and a counter must never go down.
    private long maxBytesIn;
    private long maxBytesOut;
    // Guarded by this. Per live publication: the players seen at the last scrape and the bytes
    // sent to the players that left since the publication started.
    private Map<StreamKey, Sent> sent = new HashMap<>();

    /** The bytes sent to one publication's players. */
    private static final class Sent {
        final Instant publishedAt;
        long departed;
        Map<String, ClientSession> players = new HashMap<>();

        Sent(Instant publishedAt) {
            this.publishedAt = publishedAt;
        }
    }

    ServerCollector(ServerContext ctx, boolean perStream, String version) {
        this.ctx = ctx;
        this.perStream = perStream;
        this.version = version;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out = new ArrayList<>();
        List<ClientSession> clients = new ArrayList<>(ctx.clients().list());
        List<LiveStream> live = new ArrayList<>();
        for (LiveStream s : ctx.hub().streams()) {
            if (s.isPublishing()) {
                live.add(s);
            }
        }

        out.add(GaugeSnapshot.builder().name("livehub_build_info")
                .help("The Livehub version serving these metrics; always 1")
                .dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("version", version)).value(1).build())
                .build());

        Map<String, Integer> byProtocol = new TreeMap<>();
        for (ClientSession c : clients) {
            byProtocol.merge(c.protocol(), 1, Integer::sum);
        }
        GaugeSnapshot.Builder clientsGauge = GaugeSnapshot.builder().name("livehub_clients")
                .help("Connected clients (publishers, players, viewers) by protocol");
        byProtocol.forEach((p, n) -> clientsGauge.dataPoint(
                GaugeDataPointSnapshot.builder().labels(Labels.of("protocol", p)).value(n).build()));
        out.add(clientsGauge.build());

        out.add(GaugeSnapshot.builder().name("livehub_streams").help("Streams with a publisher")
                .dataPoint(GaugeDataPointSnapshot.builder().value(live.size()).build()).build());

        maxBytesIn = Math.max(maxBytesIn, ctx.sessions().bytesIn());
        maxBytesOut = Math.max(maxBytesOut, ctx.sessions().bytesOut());
        out.add(counter("livehub_received_bytes", "Bytes received from all clients since the server started",
                Unit.BYTES, Labels.EMPTY, maxBytesIn));
        out.add(counter("livehub_sent_bytes", "Bytes sent to all clients since the server started",
                Unit.BYTES, Labels.EMPTY, maxBytesOut));

        CounterSnapshot.Builder bad = CounterSnapshot.builder().name("livehub_bad_input")
                .help("Connections closed for bad input (malformed data, a length over its limit), by protocol");
        ctx.sessions().badInputCounts().forEach((p, n) -> bad.dataPoint(
                CounterDataPointSnapshot.builder().labels(Labels.of("protocol", p)).value(n).build()));
        out.add(bad.build());

        if (perStream) {
            collectStreams(out, live, clients);
        }
        return new MetricSnapshots(out);
    }

    private void collectStreams(List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out, List<LiveStream> live,
                                List<ClientSession> clients) {
        Map<StreamKey, List<ClientSession>> players = new HashMap<>();
        for (ClientSession c : clients) {
            StreamKey k = c.stream();
            if (k != null && c.role() == ClientSession.Role.PLAYING) {
                players.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
            }
        }
        GaugeSnapshot.Builder viewers = GaugeSnapshot.builder().name("livehub_stream_viewers")
                .help("Players of a live stream, by protocol");
        CounterSnapshot.Builder bytesIn = CounterSnapshot.builder().name("livehub_stream_received_bytes")
                .unit(Unit.BYTES).help("Media payload bytes published to a stream in its current publication");
        CounterSnapshot.Builder bytesOut = CounterSnapshot.builder().name("livehub_stream_sent_bytes")
                .unit(Unit.BYTES).help("Bytes sent to a stream's players in its current publication"
                        + " (a player that comes and goes between two scrapes is not counted)");
        CounterSnapshot.Builder frames = CounterSnapshot.builder().name("livehub_stream_frames")
                .help("Frames published to a stream in its current publication");
        CounterSnapshot.Builder dropped = CounterSnapshot.builder().name("livehub_stream_dropped_frames")
                .help("Frames a stream's players skipped because they fell behind");
        CounterSnapshot.Builder jumps = CounterSnapshot.builder().name("livehub_stream_timestamp_discontinuities")
                .help("Timestamp jumps in a stream that the hub smoothed");
        GaugeSnapshot.Builder started = GaugeSnapshot.builder().name("livehub_stream_start_time_seconds")
                .unit(Unit.SECONDS).help("When the stream's current publication started, in seconds since the epoch");
        GaugeSnapshot.Builder info = GaugeSnapshot.builder().name("livehub_stream_info")
                .help("A live stream's codecs and video size; always 1");

        Map<StreamKey, Sent> nextSent = new HashMap<>();
        for (LiveStream s : live) {
            Instant at = s.publishedAt();
            if (at == null) {
                continue; // ended since it was listed
            }
            StreamKey key = s.key();
            Labels labels = Labels.of("vhost", key.vhost(), "app", key.app(), "stream", key.name());
            List<ClientSession> ps = players.getOrDefault(key, List.of());

            Map<String, Integer> perProtocol = new TreeMap<>();
            for (ClientSession p : ps) {
                perProtocol.merge(p.protocol(), 1, Integer::sum);
            }
            perProtocol.forEach((p, n) -> viewers.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(labels.add("protocol", p)).value(n).build()));

            Sent sentNow = sent.get(key);
            if (sentNow == null || !sentNow.publishedAt.equals(at)) {
                sentNow = new Sent(at);
            }
            Map<String, ClientSession> seen = new HashMap<>();
            long playing = 0;
            for (ClientSession p : ps) {
                seen.put(p.id(), p);
                playing += p.bytesOut();
            }
            for (ClientSession gone : sentNow.players.values()) {
                if (!seen.containsKey(gone.id())) {
                    sentNow.departed += gone.bytesOut(); // its counter keeps its last value after close
                }
            }
            sentNow.players = seen;
            nextSent.put(key, sentNow);

            bytesIn.dataPoint(point(labels, s.bytesIn()));
            bytesOut.dataPoint(point(labels, sentNow.departed + playing));
            frames.dataPoint(point(labels, s.framesIn()));
            dropped.dataPoint(point(labels, s.droppedFrames()));
            jumps.dataPoint(point(labels, s.timestampDiscontinuities()));
            started.dataPoint(GaugeDataPointSnapshot.builder().labels(labels)
                    .value(at.toEpochMilli() / 1000.0).build());
            info.dataPoint(GaugeDataPointSnapshot.builder().labels(infoLabels(labels, s)).value(1).build());
        }
        // Forgetting ended publications here is what makes their series disappear.
        sent = nextSent;
        out.add(viewers.build());
        out.add(bytesIn.build());
        out.add(bytesOut.build());
        out.add(frames.build());
        out.add(dropped.build());
        out.add(jumps.build());
        out.add(started.build());
        out.add(info.build());
    }

    private static Labels infoLabels(Labels labels, LiveStream s) {
        Track v = s.videoTrack();
        Track a = s.audioTrack();
        return labels.merge(Labels.of(
                "video_codec", v == null ? "" : v.codec().name().toLowerCase(Locale.ROOT),
                "width", v == null || v.width() <= 0 ? "" : Integer.toString(v.width()),
                "height", v == null || v.height() <= 0 ? "" : Integer.toString(v.height()),
                "audio_codec", a == null ? "" : a.codec().name().toLowerCase(Locale.ROOT)));
    }

    private static CounterDataPointSnapshot point(Labels labels, long value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static CounterSnapshot counter(String name, String help, Unit unit, Labels labels, long value) {
        return CounterSnapshot.builder().name(name).help(help).unit(unit).dataPoint(point(labels, value)).build();
    }
}

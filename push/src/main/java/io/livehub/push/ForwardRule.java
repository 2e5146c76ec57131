package io.livehub.push;

import io.livehub.media.StreamKey;
import java.util.List;
import java.util.Objects;

/**
 * Pushes every stream of one app to fixed destinations, as SRS's {@code forward} does: each
 * stream published to {@code app} gets one task per destination, made when the stream goes
 * live and removed when it ends. The stream name is appended to an RTMP destination
 * ({@code rtmp://backup/live} + {@code /cam1}) and is the stream id of an SRT destination that
 * names none; an MPEG-TS/UDP destination takes the stream as it is.
 *
 * <p>Thread-safety: immutable.
 *
 * @param vhost        the vhost whose streams are forwarded
 * @param app          the app whose streams are forwarded
 * @param destinations {@code protocol} and base URL of each destination
 */
public record ForwardRule(String vhost, String app, List<Destination> destinations) {

    /** One destination of a rule. */
    public record Destination(PushProtocol protocol, String url) {
        public Destination {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(url, "url");
        }
    }

    public ForwardRule {
        vhost = vhost == null || vhost.isEmpty() ? StreamKey.DEFAULT_VHOST : vhost;
        Objects.requireNonNull(app, "app");
        destinations = List.copyOf(destinations);
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("a forward rule needs a destination");
        }
        // Checks the app's spelling once, here, with a placeholder name.
        StreamKey.of(vhost, app, "x");
    }

    /** Returns a rule for {@code app} on the default vhost. */
    public static ForwardRule of(String app, Destination... destinations) {
        return new ForwardRule(StreamKey.DEFAULT_VHOST, app, List.of(destinations));
    }

    /** Returns an RTMP destination whose stream names are appended to {@code url}. */
    public static Destination rtmp(String url) {
        return new Destination(url.regionMatches(true, 0, "rtmps:", 0, 6) ? PushProtocol.RTMPS : PushProtocol.RTMP, url);
    }

    /** Returns an SRT destination whose stream id is the stream name unless the URL names one. */
    public static Destination srt(String url) {
        return new Destination(PushProtocol.SRT, url);
    }

    /** Returns whether {@code key} is one of this rule's streams. */
    public boolean matches(StreamKey key) {
        return key.vhost().equals(vhost) && key.app().equals(app);
    }

    /** Returns the spec of destination {@code index} for {@code key}. */
    public PushTaskSpec spec(StreamKey key, int index) {
        Destination d = destinations.get(index);
        String id = "forward-" + key.app().replace('/', '.') + "-" + key.name() + "-" + index;
        if (id.length() > StreamKey.MAX_PART_LENGTH) {
            id = "forward-" + Integer.toHexString(key.hashCode()) + "-" + index;
        }
        PushTaskSpec.Builder b = PushTaskSpec.builder().id(id).stream(key).protocol(d.protocol()).url(d.url());
        if (d.protocol() != PushProtocol.MPEGTS) {
            b.streamKey(key.name());
        }
        return b.build();
    }
}

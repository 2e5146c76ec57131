package io.livehub.push;

import io.livehub.media.StreamKey;
import io.livehub.push.internal.DestinationUrls;
import java.util.List;
import java.util.Objects;

/**
 * Describes one push task as OvenMediaEngine's {@code startPush} body does: a unique id, the
 * stream to send, which of its tracks, and the destination (protocol, URL, stream key).
 *
 * <p>The destination URL follows the protocol:
 * <ul>
 *   <li>{@code rtmp}, {@code rtmps}: {@code rtmp[s]://host[:port]/app} with the stream key in
 *       {@link #streamKey()}, or a platform's single URL {@code rtmp://host/app/key} with no
 *       stream key: the part after the last slash is then the key.</li>
 *   <li>{@code srt}: {@code srt://host:port} with libsrt's URL options {@code streamid},
 *       {@code passphrase}, {@code pbkeylen}, {@code latency} (ms; a value above 65535 is
 *       taken as microseconds, as ffmpeg and OvenMediaEngine write it) and {@code mode}
 *       (only {@code caller}); a stream key with no {@code streamid} becomes the stream id.</li>
 *   <li>{@code mpegts}: {@code udp://host:port}; the stream key is not used.</li>
 * </ul>
 *
 * <p>Variant names select tracks. Livehub tracks have no output-profile names, so a variant
 * name is {@code video}, {@code audio}, a codec name ({@code h264}, {@code h265}, {@code aac},
 * {@code opus}, ...) or a track id. Empty selects the first video and the first audio track,
 * as OvenMediaEngine does for RTMP.
 *
 * <p>Thread-safety: immutable.
 */
public final class PushTaskSpec {

    /** Longest accepted URL, in characters; a URL is stored per task and echoed by the API. */
    public static final int MAX_URL_LENGTH = 2048;
    /** Longest accepted stream key; platforms' keys are well under 200 characters. */
    public static final int MAX_STREAM_KEY_LENGTH = 512;
    /** Most variant names per task; a stream has a handful of tracks. */
    public static final int MAX_VARIANT_NAMES = 16;

    private final String id;
    private final StreamKey stream;
    private final List<String> variantNames;
    private final PushProtocol protocol;
    private final String url;
    private final String streamKey;

    private PushTaskSpec(Builder b) {
        this.id = b.id;
        this.stream = b.stream;
        this.variantNames = b.variantNames;
        this.protocol = b.protocol;
        this.url = b.url;
        this.streamKey = b.streamKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the task id, unique in its {@link PushModule}. */
    public String id() {
        return id;
    }

    /** Returns the stream the task sends. */
    public StreamKey stream() {
        return stream;
    }

    /** Returns the variant names that select tracks; empty for the first video and audio track. */
    public List<String> variantNames() {
        return variantNames;
    }

    public PushProtocol protocol() {
        return protocol;
    }

    /** Returns the destination URL as given. */
    public String url() {
        return url;
    }

    /** Returns the stream key as given; empty when none. */
    public String streamKey() {
        return streamKey;
    }

    /** Returns a copy with another id, for rules that make one task per stream. */
    public PushTaskSpec withId(String newId) {
        return builder().id(newId).stream(stream).variantNames(variantNames).protocol(protocol).url(url)
                .streamKey(streamKey).build();
    }

    @Override
    public String toString() {
        return "PushTaskSpec[" + id + " " + stream + " -> " + protocol.apiName() + " "
                + DestinationUrls.redact(url) + "]";
    }

    /**
     * Builds a {@link PushTaskSpec}; {@link #build()} checks every value.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        private String id;
        private StreamKey stream;
        private List<String> variantNames = List.of();
        private PushProtocol protocol;
        private String url;
        private String streamKey = "";

        private Builder() {
        }

        /** Sets the id: 1..128 characters of {@code [A-Za-z0-9._~@+=-]}, as stream names. */
        public Builder id(String v) {
            this.id = v;
            return this;
        }

        public Builder stream(StreamKey v) {
            this.stream = v;
            return this;
        }

        /** Sets the stream as {@code app/name} on the default vhost. */
        public Builder stream(String app, String name) {
            this.stream = StreamKey.of(app, name);
            return this;
        }

        public Builder variantNames(List<String> v) {
            this.variantNames = v == null ? List.of() : List.copyOf(v);
            return this;
        }

        public Builder protocol(PushProtocol v) {
            this.protocol = v;
            return this;
        }

        public Builder url(String v) {
            this.url = v;
            return this;
        }

        /** Sets the stream key; null or empty for none. */
        public Builder streamKey(String v) {
            this.streamKey = v == null ? "" : v;
            return this;
        }

        /**
         * Returns the spec.
         *
         * @throws IllegalArgumentException when a value is missing or invalid, with a message
         *     that the HTTP API returns as its 400 answer
         */
        public PushTaskSpec build() {
            if (id == null || !StreamKey.isValidName(id)) {
                throw new IllegalArgumentException("id must be 1..128 characters of [A-Za-z0-9._~@+=-]: " + id);
            }
            if (stream == null) {
                throw new IllegalArgumentException("stream is required");
            }
            if (protocol == null) {
                throw new IllegalArgumentException("protocol is required");
            }
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("url is required");
            }
            if (url.length() > MAX_URL_LENGTH) {
                throw new IllegalArgumentException("url is longer than " + MAX_URL_LENGTH + " characters");
            }
            if (streamKey.length() > MAX_STREAM_KEY_LENGTH) {
                throw new IllegalArgumentException("streamKey is longer than " + MAX_STREAM_KEY_LENGTH + " characters");
            }
            if (variantNames.size() > MAX_VARIANT_NAMES) {
                throw new IllegalArgumentException("at most " + MAX_VARIANT_NAMES + " variantNames");
            }
            for (String v : variantNames) {
                Objects.requireNonNull(v, "variant name");
                if (v.isEmpty() || v.length() > 64) {
                    throw new IllegalArgumentException("variant names must be 1..64 characters");
                }
            }
            // Fails now, with the reason, rather than on the first connect.
            DestinationUrls.check(protocol, url, streamKey);
            return new PushTaskSpec(this);
        }
    }
}

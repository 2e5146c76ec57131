package io.livehub.hub;

import io.livehub.media.MediaFrame;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.Objects;

/**
 * A publisher's handle on its live stream, returned by {@link StreamHub#publish}.
 *
 * <p>Thread-safety: call {@link #publish} and {@link #metadata} on {@link #executor()} (the
 * publisher's event loop), one at a time; a call from another thread is handed to the
 * executor. {@link #close()} may be called from any thread and is idempotent.
 */
public final class Publication {

    private final StreamHub hub;
    private final LiveStream stream;
    private final EventExecutor executor;
    private final String clientId;
    private volatile boolean closed;

    Publication(StreamHub hub, LiveStream stream, EventExecutor executor, String clientId) {
        this.hub = hub;
        this.stream = stream;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clientId = clientId;
    }

    public LiveStream stream() {
        return stream;
    }

    public EventExecutor executor() {
        return executor;
    }

    /** Returns the id of the publishing client. */
    public String clientId() {
        return clientId;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Publishes a frame to every subscriber. Never blocks and never waits for a subscriber.
     *
     * <p>Ownership: takes the frame's reference; the caller must not touch the frame
     * afterwards. A frame published after {@link #close()} is released.
     */
    public void publish(MediaFrame frame) {
        if (!executor.inEventLoop()) {
            executor.execute(() -> publish(frame));
            return;
        }
        if (closed) {
            frame.release();
            return;
        }
        stream.onFrame(this, frame);
    }

    /** Sets the stream's metadata (for RTMP, the {@code onMetaData} values) and forwards it. */
    public void metadata(Map<String, Object> values) {
        if (!executor.inEventLoop()) {
            executor.execute(() -> metadata(values));
            return;
        }
        if (!closed) {
            stream.onMetadata(this, values);
        }
    }

    /** Ends the publication: subscribers are told and stay attached, waiting for the next one. */
    public void close() {
        if (!executor.inEventLoop()) {
            executor.execute(this::close);
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        stream.onPublicationEnd(this);
        hub.release(stream);
    }

    void start() {
        if (!executor.inEventLoop()) {
            executor.execute(this::start);
            return;
        }
        stream.onPublicationStart(this);
    }
}

package io.livehub.push.internal;

import io.livehub.media.MediaFrame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A destination driven by the test: it decides when opening succeeds or fails and when the connection drops. */
final class FakeDestination implements Destination {

    /** What the destination received, in order. */
    record Sent(String kind, long dts, boolean keyframe) {
    }

    final CompletableFuture<Void> opened = new CompletableFuture<>();
    final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    volatile boolean writable = true;
    volatile boolean closed;
    volatile long bytes;

    @Override
    public CompletionStage<Void> open() {
        return opened;
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public void metadata(Map<String, Object> metadata) {
        sent.add(new Sent("metadata", -1, false));
    }

    @Override
    public void send(MediaFrame frame) {
        try {
            sent.add(new Sent(frame.isVideo() ? "video" : "audio", frame.dts(), frame.isKeyframe()));
            bytes += frame.content().readableBytes();
        } finally {
            frame.release();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long sentBytes() {
        return bytes;
    }

    @Override
    public void close() {
        closed = true;
        closeFuture.complete(null);
    }

    /** Drops the connection as a destination that went away does. */
    void drop() {
        closeFuture.completeExceptionally(new IllegalStateException("connection reset by peer"));
    }

    long frames(String kind) {
        return sent.stream().filter(s -> s.kind().equals(kind)).count();
    }
}

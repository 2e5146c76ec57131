package io.livehub.push;

import io.livehub.hub.LiveStream;
import io.livehub.media.MediaFrame;
import io.livehub.push.internal.Destination;
import io.livehub.push.internal.DestinationFactory;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/** Wraps the real destinations and counts the frames the tasks hand them. */
final class CountingDestinations implements DestinationFactory {

    final AtomicLong video = new AtomicLong();
    final AtomicLong audio = new AtomicLong();
    private final DestinationFactory real;

    CountingDestinations(DestinationFactory real) {
        this.real = real;
    }

    @Override
    public Destination create(PushTaskSpec spec, io.netty.channel.EventLoop loop) {
        Destination d = real.create(spec, loop);
        return new Destination() {
            @Override
            public CompletionStage<Void> open() {
                return d.open();
            }

            @Override
            public CompletionStage<Void> closeFuture() {
                return d.closeFuture();
            }

            @Override
            public void onPublish(LiveStream stream) {
                d.onPublish(stream);
            }

            @Override
            public void metadata(Map<String, Object> metadata) {
                d.metadata(metadata);
            }

            @Override
            public void send(MediaFrame frame) {
                (frame.isVideo() ? video : audio).incrementAndGet();
                d.send(frame);
            }

            @Override
            public void flush() {
                d.flush();
            }

            @Override
            public boolean isWritable() {
                return d.isWritable();
            }

            @Override
            public long sentBytes() {
                return d.sentBytes();
            }

            @Override
            public void close() {
                d.close();
            }
        };
    }
}

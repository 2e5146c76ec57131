package io.livehub.testing;

import io.livehub.media.MediaFrame;
import io.livehub.media.MediaSink;
import io.livehub.media.Track;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a decoder gives it, tracks and frames in order, for tests; the test releases the frames. */
public final class CollectingSink implements MediaSink {

    private final List<Object> items;

    public CollectingSink() {
        this(new ArrayList<>());
    }

    public CollectingSink(List<Object> items) {
        this.items = items;
    }

    @Override
    public void onTrack(Track track) {
        items.add(track);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        items.add(frame);
    }

    public List<Object> items() {
        return items;
    }
}

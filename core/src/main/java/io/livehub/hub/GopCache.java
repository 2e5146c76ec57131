package io.livehub.hub;

import io.livehub.media.MediaFrame;
import java.util.ArrayDeque;

/**
 * Keeps the frames since the last video keyframe, so a new player starts at once with a
 * decodable picture. Bounded in frames and bytes: a group of pictures that outgrows the
 * bounds is dropped and caching resumes at the next keyframe.
 *
 * <p>Thread-safety: confined to the publishing thread. Ownership: holds one reference to
 * each cached frame and releases it when the frame leaves the cache.
 */
final class GopCache {

    private final int maxFrames;
    private final long maxBytes;
    private final ArrayDeque<MediaFrame> frames = new ArrayDeque<>();
    private long bytes;
    private boolean active;

    GopCache(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** Offers a frame the hub is publishing; retains it when cached. */
    void add(MediaFrame frame, boolean randomAccess) {
        if (maxFrames == 0) {
            return;
        }
        if (randomAccess && frame.isVideo()) {
            clear();
            active = true;
        }
        if (!active) {
            return;
        }
        int size = frame.content().readableBytes();
        if (frames.size() >= maxFrames || bytes + size > maxBytes) {
            clear();
            return;
        }
        frames.addLast(frame.retain());
        bytes += size;
    }

    /** Returns the cached frames, oldest first. The caller must not keep the view. */
    Iterable<MediaFrame> frames() {
        return frames;
    }

    int size() {
        return frames.size();
    }

    void clear() {
        MediaFrame f;
        while ((f = frames.pollFirst()) != null) {
            f.release();
        }
        bytes = 0;
        active = false;
    }
}

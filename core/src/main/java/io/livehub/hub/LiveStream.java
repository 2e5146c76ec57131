package io.livehub.hub;

import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One named stream in the hub: at most one publisher, any number of subscribers, the
 * stream's current tracks and metadata, and a GOP cache for instant start.
 *
 * <p>Frames flow without locks: the publisher's thread owns the subscriber array and the
 * GOP cache. A new subscriber is queued and attached by the publisher's thread (or waits
 * there until a publisher arrives); a closed subscriber is pruned by it. Joining and leaving
 * take the hub map's per-key lock only to count references, never per frame.
 *
 * <p>The merged-write window ({@link HubConfig#mergeWriteWindow()}) is applied here, on the
 * publisher's side, for the subscribers that batch frames (the socket writers, see
 * {@link StreamSubscriber#batchesFrames()}): frames are held for up to the window and then
 * offered to each of them together, and their event loops drain at once. Each such
 * subscriber's queue and state is thus touched once per window, not once per frame, which is
 * what fan-out to many players costs most (a cache miss per subscriber and frame). The others
 * (muxers, paced senders) get each frame as it comes. The first held frame starts the window;
 * a frame that arrives after the window ran out, a timer at its end, a joining subscriber,
 * metadata and the end of the publication each hand the held frames over. With a window of 0
 * every frame is offered as it arrives.
 *
 * <p>The publisher's thread also enforces the write deadline ({@link HubConfig#writeTimeout()}):
 * about once a second it looks at each subscriber's progress and closes the ones that had
 * frames pending and took none for the deadline (see {@link StreamSubscriber#onEvicted}).
 *
 * <p>Thread-safety: the getters may be called from any thread; frame delivery happens
 * through {@link Publication}.
 */
public final class LiveStream {

    private static final Subscription[] NO_SUBSCRIBERS = new Subscription[0];
    /** Frames held for a window at most; more hand the held ones over early. */
    static final int MAX_HELD_FRAMES = 128;

    private final StreamHub hub;
    private final StreamKey key;
    private final HubConfig config;
    private final AtomicReference<Publication> publication = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Subscription> pendingJoins = new ConcurrentLinkedQueue<>();
    private final Runnable attachTask = this::attachFromTask;
    private final Runnable heldFramesTask = this::releaseHeldFromTask;
    private volatile boolean subscribersDirty;

    // Owned by the publishing thread; handed from one publication to the next through the
    // volatile write/CAS of `publication`.
    private volatile Subscription[] subscribers = NO_SUBSCRIBERS;
    // The subscribers split by how they take frames while a window is set.
    private Subscription[] batched = NO_SUBSCRIBERS;
    private Subscription[] immediate = NO_SUBSCRIBERS;
    private final GopCache gop;
    private final TimestampCorrector corrector;
    private boolean hasVideo;
    // Frames held for the merged-write window, each with the publisher's reference.
    private final long windowNanos;
    private final MediaFrame[] held;
    private final boolean[] heldRandomAccess;
    private final int[] heldUnused;
    private int heldCount;
    private long heldSince;
    private boolean heldTaskScheduled;
    // The write deadline (0: none), looked at every sweepNanos from the publisher's thread.
    private final long writeTimeoutNanos;
    private final long sweepNanos;
    private long nextSweep;

    // Read by any thread.
    private volatile Track videoTrack;
    private volatile Track audioTrack;
    private volatile Map<String, Object> metadata;
    private volatile long framesIn;
    private volatile long bytesIn;
    private volatile Instant publishedAt;
    // Frames dropped by subscribers that left, so that droppedFrames() only goes up.
    private final LongAdder droppedByLeft = new LongAdder();

    /** Guarded by the hub map's lock for this key: subscriptions plus one for a publisher. */
    int references;

    LiveStream(StreamHub hub, StreamKey key, HubConfig config) {
        this.hub = hub;
        this.key = key;
        this.config = config;
        this.gop = new GopCache(config.gopCacheFrames(), config.gopCacheBytes());
        this.corrector = new TimestampCorrector(config.maxTimestampJump().toNanos() / 1000,
                config.timestampCorrection());
        this.windowNanos = config.mergeWriteWindow().toNanos();
        int maxHeld = windowNanos > 0 ? MAX_HELD_FRAMES : 0;
        this.held = new MediaFrame[maxHeld];
        this.heldRandomAccess = new boolean[maxHeld];
        this.heldUnused = new int[maxHeld];
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        // Often enough that the deadline holds give or take a quarter of it (a second at most).
        this.sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(TimeUnit.SECONDS.toNanos(1), writeTimeoutNanos / 4));
    }

    public StreamKey key() {
        return key;
    }

    StreamHub hub() {
        return hub;
    }

    HubConfig config() {
        return config;
    }

    /** Returns whether a publisher is attached. */
    public boolean isPublishing() {
        return publication.get() != null;
    }

    /** Returns the current publication, or null; the hub's own, never handed to callers. */
    Publication publication() {
        return publication.get();
    }

    /** Returns the client id of the current publisher, or null when nobody publishes. */
    public String publisherId() {
        Publication p = publication.get();
        return p == null ? null : p.clientId();
    }

    /** Returns the number of attached and waiting subscribers. */
    public int subscriberCount() {
        int n = 0;
        for (Subscription s : subscribers) {
            if (!s.isClosed()) {
                n++;
            }
        }
        for (Subscription s : pendingJoins) {
            if (!s.isClosed()) {
                n++;
            }
        }
        return n;
    }

    /** Returns the latest video track, or null when the stream has none (yet). */
    public Track videoTrack() {
        return videoTrack;
    }

    /** Returns the latest audio track, or null when the stream has none (yet). */
    public Track audioTrack() {
        return audioTrack;
    }

    /** Returns the latest metadata the publisher sent, or null. */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Returns the frames published since the current publication started. */
    public long framesIn() {
        return framesIn;
    }

    /** Returns the payload bytes published since the current publication started. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Returns when the current publication started, or null when none is live. */
    public Instant publishedAt() {
        return publishedAt;
    }

    /**
     * Returns the frames that subscribers of this stream dropped because they fell behind, the
     * ones that left included: a counter for metrics that never goes down while the stream
     * exists.
     */
    public long droppedFrames() {
        long n = droppedByLeft.sum();
        for (Subscription s : subscribers) {
            if (!s.isClosed()) {
                n += s.droppedFrames();
            }
        }
        return n;
    }

    /** Returns how many timestamp discontinuities were smoothed. */
    public long timestampDiscontinuities() {
        return corrector.discontinuities();
    }

    // ---- publisher side (called by Publication on the publishing thread) ----

    boolean claim(Publication p) {
        return publication.compareAndSet(null, p);
    }

    void onPublicationStart(Publication p) {
        corrector.restart();
        heldTaskScheduled = false;
        hasVideo = false;
        framesIn = 0;
        bytesIn = 0;
        publishedAt = Instant.now();
        long now = System.nanoTime();
        nextSweep = now + sweepNanos;
        for (Subscription s : subscribers) {
            s.awaitKeyframe();
            s.resetProgress(now);
            s.offerPublish();
        }
        attachPending(p);
    }

    void onFrame(Publication p, MediaFrame frame) {
        if (!pendingJoins.isEmpty()) {
            attachPending(p);
        }
        if (subscribersDirty) {
            prune();
        }
        Track track = frame.track();
        if (track.kind() == TrackKind.VIDEO) {
            hasVideo = true;
            if (videoTrack != track) {
                videoTrack = track;
            }
        } else if (track.kind() == TrackKind.AUDIO && audioTrack != track) {
            audioTrack = track;
        }
        long now = System.nanoTime();
        long offset = corrector.offsetFor(track.id(), frame.dts(), track.timebase(), now);
        if (offset != 0) {
            frame = frame.withTimestamps(frame.dts() + offset, frame.pts() + offset);
        }
        if (writeTimeoutNanos > 0 && now - nextSweep >= 0) {
            nextSweep = now + sweepNanos;
            evictStalled(now);
        }
        framesIn = framesIn + 1;
        bytesIn = bytesIn + frame.content().readableBytes();
        boolean randomAccess = isRandomAccess(frame);
        gop.add(frame, randomAccess);
        Subscription[] subs = windowNanos > 0 ? immediate : subscribers;
        if (windowNanos > 0 && batched.length > 0) {
            offerNow(frame, randomAccess, subs);
            hold(p, frame, randomAccess, now);
            return;
        }
        offerNow(frame, randomAccess, subs);
        frame.release();
    }

    /**
     * Closes the subscribers that had frames pending and took none for the write deadline:
     * players that stopped reading would otherwise keep their connection (and the kernel's
     * socket buffers) forever while their queue only drops.
     */
    private void evictStalled(long now) {
        for (Subscription s : subscribers) {
            if (!s.isClosed() && s.stalledLongerThan(writeTimeoutNanos, now)) {
                s.evict(Subscription.Eviction.WRITE_TIMEOUT,
                        "took no frame for " + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms");
            }
        }
    }

    /** Offers a frame to {@code subs} now; the caller keeps its own reference. */
    private static void offerNow(MediaFrame frame, boolean randomAccess, Subscription[] subs) {
        if (subs.length > 0) {
            // One reference per subscriber in one atomic update, not one per subscriber on a
            // counter that the subscribers' loops are decrementing at the same time.
            frame.retain(subs.length);
            int unused = 0;
            for (Subscription s : subs) {
                if (!offer(s, frame, randomAccess)) {
                    unused++;
                }
            }
            if (unused > 0) {
                frame.release(unused);
            }
        }
    }

    /**
     * Offers a frame on a reference taken for {@code s}. What one subscriber does never fails
     * the publisher's thread: an offer that throws closes that subscription alone.
     *
     * @return whether {@code s} took the reference
     */
    private static boolean offer(Subscription s, MediaFrame frame, boolean randomAccess) {
        try {
            return s.offerRetained(frame, randomAccess);
        } catch (RuntimeException e) {
            // offerRetained throws only before it queues the frame, so the reference is ours.
            s.fail("offer failed", e);
            return false;
        }
    }

    /** Holds a frame (taking over the publisher's reference) for the merged-write window. */
    private void hold(Publication p, MediaFrame frame, boolean randomAccess, long now) {
        if (heldCount == 0) {
            heldSince = now;
            if (!heldTaskScheduled) {
                heldTaskScheduled = true;
                p.executor().schedule(heldFramesTask, windowNanos, TimeUnit.NANOSECONDS);
            }
        }
        held[heldCount] = frame;
        heldRandomAccess[heldCount] = randomAccess;
        heldCount++;
        if (now - heldSince >= windowNanos || heldCount == held.length) {
            releaseHeld();
        }
    }

    /**
     * Offers the held frames to every batching subscriber, subscriber by subscriber, and gives up
     * the publisher's references. Each frame takes all its subscribers' references in one atomic
     * update.
     */
    private void releaseHeld() {
        int n = heldCount;
        if (n == 0) {
            return;
        }
        heldCount = 0;
        Subscription[] subs = batched;
        if (subs.length > 0) {
            for (int i = 0; i < n; i++) {
                held[i].retain(subs.length);
                heldUnused[i] = 0;
            }
            for (Subscription s : subs) {
                for (int i = 0; i < n; i++) {
                    if (!offer(s, held[i], heldRandomAccess[i])) {
                        heldUnused[i]++;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            MediaFrame f = held[i];
            held[i] = null;
            int unused = subs.length > 0 ? heldUnused[i] : 0;
            f.release(unused + 1);
        }
    }

    /** The window timer: hands over frames held a whole window, or waits for the rest of it. */
    private void releaseHeldFromTask() {
        Publication p = publication.get();
        if (p == null || !p.executor().inEventLoop()) {
            return; // a publication that ended released its frames; a new one has its own timer
        }
        heldTaskScheduled = false;
        if (heldCount == 0) {
            return;
        }
        long left = windowNanos - (System.nanoTime() - heldSince);
        if (left <= 0) {
            releaseHeld();
        } else {
            heldTaskScheduled = true;
            p.executor().schedule(heldFramesTask, left, TimeUnit.NANOSECONDS);
        }
    }

    void onMetadata(Publication p, Map<String, Object> values) {
        releaseHeld();
        Map<String, Object> copy = Map.copyOf(values);
        metadata = copy;
        if (!pendingJoins.isEmpty()) {
            attachPending(p);
        }
        for (Subscription s : subscribers) {
            s.offerMetadata(copy);
        }
    }

    void onPublicationEnd(Publication p) {
        releaseHeld();
        attachPending(p);
        if (subscribersDirty) {
            prune();
        }
        for (Subscription s : subscribers) {
            s.offerUnpublish();
        }
        gop.clear();
        metadata = null;
        videoTrack = null;
        audioTrack = null;
        publishedAt = null;
        publication.compareAndSet(p, null);
        // A join that raced with the end waits in pendingJoins for the next publisher.
    }

    private boolean isRandomAccess(MediaFrame frame) {
        return frame.isVideo() ? frame.isKeyframe() : !hasVideo;
    }

    private void attachPending(Publication p) {
        if (pendingJoins.isEmpty()) {
            return;
        }
        // The held frames are in the GOP cache already: hand them to the others first, so a
        // joining subscriber gets them once, from the cache.
        releaseHeld();
        Subscription s;
        while ((s = pendingJoins.poll()) != null) {
            if (s.isClosed()) {
                continue;
            }
            s.resetProgress(System.nanoTime());
            subscribers = appended(subscribers, s);
            if (s.batchesFrames()) {
                batched = appended(batched, s);
            } else {
                immediate = appended(immediate, s);
            }
            s.offerPublish();
            Map<String, Object> md = metadata;
            if (md != null) {
                s.offerMetadata(md);
            }
            for (MediaFrame f : gop.frames()) {
                s.offerFrame(f, isRandomAccess(f));
            }
        }
    }

    private void attachFromTask() {
        Publication p = publication.get();
        // Only the current publication's thread may touch the subscriber array; if it ended,
        // the next publisher attaches the pending joins.
        if (p != null && p.executor().inEventLoop() && !p.isClosed()) {
            attachPending(p);
        }
    }

    private void prune() {
        subscribersDirty = false;
        subscribers = open(subscribers);
        batched = open(batched);
        immediate = open(immediate);
    }

    /**
     * Returns the open subscriptions of {@code subs}. Each one's closed flag is read once: a
     * subscription closing on another thread meanwhile is either kept (and pruned next time) or
     * left out, never counted in one pass and missed in another.
     */
    static Subscription[] open(Subscription[] subs) {
        Subscription[] next = null;
        int n = 0;
        for (int i = 0; i < subs.length; i++) {
            Subscription s = subs[i];
            if (s.isClosed()) {
                if (next == null) {
                    next = new Subscription[subs.length - 1];
                    System.arraycopy(subs, 0, next, 0, i);
                    n = i;
                }
            } else if (next != null) {
                next[n++] = s;
            }
        }
        if (next == null) {
            return subs;
        }
        return n == next.length ? next : Arrays.copyOf(next, n);
    }

    private static Subscription[] appended(Subscription[] subs, Subscription s) {
        Subscription[] next = Arrays.copyOf(subs, subs.length + 1);
        next[subs.length] = s;
        return next;
    }

    // ---- subscriber side (any thread) ----

    void join(Subscription s) {
        pendingJoins.add(s);
        Publication p = publication.get();
        if (p != null) {
            p.executor().execute(attachTask);
        }
    }

    void detach(Subscription s) {
        droppedByLeft.add(s.droppedFrames());
        if (!pendingJoins.remove(s)) {
            subscribersDirty = true;
        }
        hub.release(this);
    }

    /** Returns whether nothing refers to the stream any more; called under the map lock. */
    boolean isIdle() {
        return references == 0 && publication.get() == null;
    }

    @Override
    public String toString() {
        return "LiveStream[" + key + (isPublishing() ? " live" : "") + "]";
    }
}

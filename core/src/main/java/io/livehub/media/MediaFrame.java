package io.livehub.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufHolder;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.IllegalReferenceCountException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One access unit of one track, in the hub's canonical form: length-prefixed (4-byte) NAL
 * units for H.264 and H.265, raw frames for AAC and Opus, OBUs (low-overhead format) for
 * AV1. Timestamps are 64-bit ticks of the track's {@link Timebase} and never wrap.
 *
 * <p>A frame has its own reference count. The hub fans a frame out by retaining it once per
 * subscriber and handing every subscriber the same object, so the payload and any
 * {@linkplain #encoded(EgressForm, ByteBufAllocator) encoded form} are shared and must be
 * treated as read-only: read them with absolute indexes or through a duplicate.
 *
 * <p>Ownership: {@link #of} takes the payload's reference; the frame releases the payload and
 * its cached encodings when its own count reaches zero.
 *
 * <p>Thread-safety: the fields are immutable; {@link #encoded} may be called concurrently.
 */
public final class MediaFrame extends AbstractReferenceCounted implements ByteBufHolder {

    private static final VarHandle ENCODINGS;
    private static final VarHandle OWNER;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(ByteBuf[].class);

    static {
        try {
            ENCODINGS = MethodHandles.lookup().findVarHandle(MediaFrame.class, "encodings", ByteBuf[].class);
            OWNER = MethodHandles.lookup().findVarHandle(MediaFrame.class, "formsOwner", EgressForms.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Track track;
    private final long dts;
    private final long pts;
    private final boolean keyframe;
    private final ByteBuf payload;
    @SuppressWarnings("unused") // accessed through ENCODINGS
    private volatile ByteBuf[] encodings;
    @SuppressWarnings("unused") // accessed through OWNER: the registry whose forms use the slots
    private volatile EgressForms formsOwner;
    private java.util.Map<EgressForm, ByteBuf> late; // guarded by this

    private MediaFrame(Track track, long dts, long pts, boolean keyframe, ByteBuf payload) {
        this.track = track;
        this.dts = dts;
        this.pts = pts;
        this.keyframe = keyframe;
        this.payload = payload;
    }

    /**
     * Makes a frame.
     *
     * <p>Ownership: takes {@code payload}'s reference; the caller must not release it.
     *
     * @param keyframe for video, a random access point; audio frames should pass true
     */
    public static MediaFrame of(Track track, long dts, long pts, boolean keyframe, ByteBuf payload) {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(payload, "payload");
        return new MediaFrame(track, dts, pts, keyframe, payload);
    }

    public Track track() {
        return track;
    }

    /** Returns the decode timestamp in ticks of {@code track().timebase()}. */
    public long dts() {
        return dts;
    }

    /** Returns the presentation timestamp in ticks of {@code track().timebase()}. */
    public long pts() {
        return pts;
    }

    /** Returns {@code pts - dts}, the composition time offset. */
    public long cts() {
        return pts - dts;
    }

    /** Returns the decode timestamp in milliseconds. */
    public long dtsMillis() {
        return track.timebase().toMillis(dts);
    }

    /** Returns whether this is a video random access point (always true for audio). */
    public boolean isKeyframe() {
        return keyframe;
    }

    public boolean isVideo() {
        return track.kind() == TrackKind.VIDEO;
    }

    public boolean isAudio() {
        return track.kind() == TrackKind.AUDIO;
    }

    /**
     * Returns a frame with other timestamps and the same payload.
     *
     * <p>Ownership: transfers this frame's reference to the result; do not use or release
     * this frame afterwards. Cached encodings are not carried over.
     */
    public MediaFrame withTimestamps(long newDts, long newPts) {
        if (newDts == dts && newPts == pts) {
            return this;
        }
        MediaFrame f = new MediaFrame(track, newDts, newPts, keyframe, payload.retain());
        release();
        return f;
    }

    /**
     * Returns this frame in {@code form}, encoding it on the first call for that form.
     *
     * <p>Ownership: the buffer belongs to this frame and stays valid while the caller holds a
     * reference to the frame; to keep or write it, take {@code retainedDuplicate()} (pooled,
     * so it does not allocate in steady state). Never change its indexes or bytes.
     */
    public ByteBuf encoded(EgressForm form, ByteBufAllocator alloc) {
        if (refCnt() == 0) {
            throw new IllegalReferenceCountException(0);
        }
        EgressForms forms = form.registry();
        EgressForms owner = (EgressForms) OWNER.getAcquire(this);
        if (owner == null) {
            EgressForms witness = (EgressForms) OWNER.compareAndExchange(this, (EgressForms) null, forms);
            owner = witness == null ? forms : witness;
        }
        if (owner != forms) {
            return encodedLate(form, alloc); // a frame handed to another server's hub: rare
        }
        ByteBuf[] slots = (ByteBuf[]) ENCODINGS.getAcquire(this);
        if (slots == null) {
            // One slot per form registered so far: forms are registered when modules start,
            // before frames flow, so this is normally every form there will be.
            ByteBuf[] fresh = new ByteBuf[Math.max(1, forms.size())];
            ByteBuf[] witness = (ByteBuf[]) ENCODINGS.compareAndExchange(this, (ByteBuf[]) null, fresh);
            slots = witness == null ? fresh : witness;
        }
        int i = form.index();
        if (i >= slots.length) {
            return encodedLate(form, alloc);
        }
        ByteBuf cached = (ByteBuf) SLOT.getAcquire(slots, i);
        if (cached != null) {
            return cached;
        }
        ByteBuf built = form.encoder().encode(this, alloc);
        ByteBuf witness = (ByteBuf) SLOT.compareAndExchange(slots, i, (ByteBuf) null, built);
        if (witness != null) {
            built.release();
            return witness;
        }
        return built;
    }

    /**
     * Caches a form registered after this frame's slots were made, or one of another server's
     * registry; rare, so it may lock.
     */
    private synchronized ByteBuf encodedLate(EgressForm form, ByteBufAllocator alloc) {
        if (late == null) {
            late = new java.util.IdentityHashMap<>(4);
        }
        ByteBuf b = late.get(form);
        if (b == null) {
            b = form.encoder().encode(this, alloc);
            late.put(form, b);
        }
        return b;
    }

    /** Returns the payload. Ownership: borrowed from the frame; see the class notes. */
    @Override
    public ByteBuf content() {
        int c = refCnt();
        if (c <= 0) {
            throw new IllegalReferenceCountException(c);
        }
        return payload;
    }

    @Override
    public MediaFrame copy() {
        return replace(payload.copy());
    }

    @Override
    public MediaFrame duplicate() {
        return replace(payload.duplicate());
    }

    @Override
    public MediaFrame retainedDuplicate() {
        return replace(payload.retainedDuplicate());
    }

    /** Returns a frame with this frame's fields and {@code content}, whose reference it takes. */
    @Override
    public MediaFrame replace(ByteBuf content) {
        return new MediaFrame(track, dts, pts, keyframe, content);
    }

    @Override
    public MediaFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public MediaFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public MediaFrame touch() {
        return this;
    }

    @Override
    public MediaFrame touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    protected void deallocate() {
        payload.release();
        releaseAll((ByteBuf[]) ENCODINGS.getAcquire(this));
        synchronized (this) {
            if (late != null) {
                late.values().forEach(ByteBuf::release);
            }
        }
    }

    private static void releaseAll(ByteBuf[] bufs) {
        if (bufs != null) {
            for (ByteBuf b : bufs) {
                if (b != null) {
                    b.release();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "MediaFrame[" + track.codec() + " dts=" + dts + " pts=" + pts + (keyframe ? " key" : "")
                + " " + payload.readableBytes() + "B]";
    }
}

package io.livehub.media;

/** Says what a {@link Track} carries. */
public enum TrackKind {
    VIDEO,
    AUDIO,
    /** Timed data such as captions or script data; not used for keyframe decisions. */
    DATA
}

package io.livehub.virtual;

/** Says where a virtual live stream is in its life. */
public enum VirtualLiveState {
    /** The file is being opened and the publish decided. */
    STARTING,
    /** Frames are being published. */
    PLAYING,
    /** The stream is ending: stopped, finished its loops or failed; it leaves the list next. */
    ENDING
}

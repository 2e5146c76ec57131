package io.livehub.isobmff;

import io.netty.buffer.ByteBuf;

/**
 * Holds one sample waiting in a {@link FragmentBuilder}: times in the media timescale, the sync
 * flag and the sample's bytes.
 *
 * <p>Ownership: {@link #data} is a retained slice owned by the sample until it is handed to a
 * fragment or released. Thread-safety: confined to its builder.
 */
final class Sample {

    /** Decode time in the media timescale. */
    final long dts;
    /** Composition time offset, {@code pts - dts}, in the media timescale. */
    final int compositionOffset;
    final boolean sync;
    final ByteBuf data;
    /** Duration in the media timescale, or -1 until the next sample or a flush says. */
    long duration = -1;

    Sample(long dts, int compositionOffset, boolean sync, ByteBuf data) {
        this.dts = dts;
        this.compositionOffset = compositionOffset;
        this.sync = sync;
        this.data = data;
    }

    int size() {
        return data.readableBytes();
    }
}

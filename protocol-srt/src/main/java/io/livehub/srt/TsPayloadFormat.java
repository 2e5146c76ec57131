package io.livehub.srt;

import io.livehub.media.EgressForms;
import io.livehub.srt.internal.SrtEgress;
import io.livehub.srt.internal.SrtIngest;
import io.netty.buffer.ByteBufAllocator;

/**
 * Carries MPEG-TS in SRT payloads, as every SRT encoder and player does: seven 188-byte TS
 * packets per payload (1316 bytes) by default. A publisher's payloads go through
 * {@link SrtIngest} (core's {@link io.livehub.ts.TsDemuxer}); a player's frames through
 * {@link SrtEgress}, which copies each frame's transport packets, encoded once per stream, with
 * the player's own continuity counters, PAT and PMT ({@link io.livehub.ts.TsFrameWriter}), and
 * sends them at once (the last payload of a frame may hold fewer than seven packets) so
 * nothing waits for the next frame.
 *
 * <p>Thread-safety: the format is stateless; each demuxer and muxer is confined to its
 * connection's event loop.
 */
public final class TsPayloadFormat implements SrtPayloadFormat {

    /** The shared instance. */
    public static final TsPayloadFormat INSTANCE = new TsPayloadFormat();

    private TsPayloadFormat() {
    }

    @Override
    public SrtPayloadDemuxer newDemuxer() {
        return new SrtIngest();
    }

    @Override
    public SrtPayloadMuxer newMuxer(int payloadSize, EgressForms forms) {
        return new SrtEgress(payloadSize, ByteBufAllocator.DEFAULT, forms);
    }
}

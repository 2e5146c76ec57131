package io.livehub.bench.load;

import java.time.Instant;

/**
 * Checks what one player receives, without decoding it: counts frames, verifies that timestamps
 * never go back per track, notes whether the first video frame was a keyframe, reads the probe's
 * stamp ({@link SeiTimestamp}) from each video frame for the latency and for gaps in its
 * sequence numbers (dropped frames), and adds all of it to the run's {@link LoadStats}.
 *
 * <p>Bodies are read in FLV tag body form (Adobe FLV v10.1 §E.4.2.1, §E.4.3.1, and Enhanced RTMP
 * v2 video), which RTMP audio and video messages and HTTP-FLV tags share: only their first
 * bytes, as captured by the scanners.
 *
 * <p>Thread-safety: one instance per player, used on its connection's event loop;
 * {@link #windowVideoFrames()} is read after the window closed, on that loop.
 */
final class PlayerStats {

    private static final int AUDIO_AAC = 10;
    private static final int VIDEO_FRAME_TYPE_KEY = 1;
    private static final int VIDEO_FRAME_TYPE_COMMAND = 5;

    private final LoadStats stats;
    private final long[] stamp = new long[2];
    private long lastVideoTimestamp = -1;
    private long lastAudioTimestamp = -1;
    private long lastSequence = -1;
    private boolean sawVideoFrame;
    private long windowVideoFrames;

    PlayerStats(LoadStats stats) {
        this.stats = stats;
    }

    /** Returns the coded video frames received while the window was open. */
    long windowVideoFrames() {
        return windowVideoFrames;
    }

    /** Counts received bytes. */
    void onBytes(int n) {
        stats.bytes.add(n);
    }

    /**
     * Checks one video message or tag.
     *
     * @param head the body's first bytes
     */
    void onVideo(long timestamp, byte[] head, int headLength) {
        stats.messages.increment();
        if (headLength < 1) {
            return;
        }
        int b0 = head[0] & 0xFF;
        int frameType = (b0 >>> 4) & 0x7;
        int nalOffset;
        boolean coded;
        if ((b0 & 0x80) != 0) {
            // Enhanced RTMP: packet type in the low bits, a FourCC after the first byte.
            int packetType = b0 & 0x0F;
            coded = packetType == 1 || packetType == 3;
            nalOffset = packetType == 1 ? 8 : 5;
        } else {
            int codec = b0 & 0x0F;
            boolean avcLike = codec == 7 || codec == 12;
            coded = !avcLike || headLength > 1 && head[1] == 1;
            nalOffset = SeiTimestamp.AVC_BODY_HEADER;
        }
        if (!coded || frameType == VIDEO_FRAME_TYPE_COMMAND) {
            return;
        }
        stats.videoFrames.increment();
        if (stats.measuring()) {
            windowVideoFrames++;
        }
        if (!sawVideoFrame) {
            sawVideoFrame = true;
            if (frameType != VIDEO_FRAME_TYPE_KEY) {
                stats.nonKeyframeStarts.increment();
            }
        }
        if (timestamp < lastVideoTimestamp) {
            stats.timestampRegressions.increment();
        }
        lastVideoTimestamp = timestamp;
        if (headLength <= nalOffset || !SeiTimestamp.find(head, nalOffset, headLength - nalOffset, stamp)) {
            stats.unstampedFrames.increment();
            return;
        }
        long sequence = stamp[0];
        if (lastSequence >= 0 && sequence > lastSequence + 1) {
            stats.droppedFrames.add(sequence - lastSequence - 1);
        }
        lastSequence = sequence;
        stats.recordLatency(nowMicros() - stamp[1]);
    }

    /** Checks one audio message or tag. */
    void onAudio(long timestamp, byte[] head, int headLength) {
        stats.messages.increment();
        if (headLength < 1) {
            return;
        }
        boolean aac = (head[0] & 0xFF) >>> 4 == AUDIO_AAC;
        if (aac && (headLength < 2 || head[1] == 0)) {
            return; // AudioSpecificConfig
        }
        stats.audioFrames.increment();
        if (timestamp < lastAudioTimestamp) {
            stats.timestampRegressions.increment();
        }
        lastAudioTimestamp = timestamp;
    }

    /** Returns the wall clock in microseconds since the epoch, the clock the probe stamps with. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}

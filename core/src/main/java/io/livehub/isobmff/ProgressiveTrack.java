package io.livehub.isobmff;

import java.util.Objects;

/**
 * Describes one track of a progressive (non-fragmented) file for {@link ProgressiveMovieEncoder}:
 * the header fields, the {@code stsd} box as written (so a file read back keeps its sample
 * entry byte for byte), the samples, and where the track starts on the file's common timeline.
 *
 * <p>Thread-safety: the table is mutable; do not change it while encoding.
 *
 * @param trackId the {@code track_ID}
 * @param video whether it is a video track (else audio)
 * @param timescale the media timescale
 * @param width the video width in pixels, 0 for audio
 * @param height the video height in pixels, 0 for audio
 * @param stsd the whole {@code stsd} box (§8.5.2), header included
 * @param samples the sample table
 * @param firstDecodeTime the first sample's decode time on the file's common timeline, in the
 *     media timescale (a fragmented file's first {@code tfdt})
 */
public record ProgressiveTrack(int trackId, boolean video, int timescale, int width, int height, byte[] stsd,
        SampleTable samples, long firstDecodeTime) {

    public ProgressiveTrack {
        Objects.requireNonNull(stsd, "stsd");
        Objects.requireNonNull(samples, "samples");
        if (trackId < 1 || timescale < 1 || firstDecodeTime < 0) {
            throw new IllegalArgumentException("track_ID " + trackId + ", timescale " + timescale
                    + ", first decode time " + firstDecodeTime);
        }
    }

    /** Returns when the track's presentation starts on the common timeline, in seconds. */
    public double presentationStartSeconds() {
        return (double) (firstDecodeTime + samples.minCompositionTime()) / timescale;
    }
}

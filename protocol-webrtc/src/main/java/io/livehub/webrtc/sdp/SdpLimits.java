package io.livehub.webrtc.sdp;

/**
 * Bounds on what an SDP body from the network may make the parser keep.
 *
 * @param maxBytes    the longest body accepted. A browser offer with every codec is 6-10 KB;
 *                    the default of 64 KiB leaves room for many m-sections and candidates
 *                    while keeping one request's parse cheap
 * @param maxLines    the most lines accepted (default 2,000: a Chromium offer with two
 *                    m-sections has about 200)
 * @param maxMedia    the most m-sections (default 16: WHEP and WHIP use two, audio and video)
 * @param maxLineBytes the longest line (default 4,096: fingerprints and fmtp lines are short)
 */
public record SdpLimits(int maxBytes, int maxLines, int maxMedia, int maxLineBytes) {

    /** The defaults described above. */
    public static final SdpLimits DEFAULT = new SdpLimits(64 * 1024, 2_000, 16, 4_096);

    public SdpLimits {
        if (maxBytes < 1 || maxLines < 1 || maxMedia < 1 || maxLineBytes < 1) {
            throw new IllegalArgumentException("SDP limits must be positive");
        }
    }
}

package io.livehub.codec.h265;

import io.livehub.codec.BitReader;
import java.util.Locale;

/**
 * Holds the general part of {@code profile_tier_level()} (ITU-T H.265 §7.3.3), which the
 * {@code hvcC} record and the RFC 6381 codecs parameter copy.
 *
 * @param profileSpace {@code general_profile_space}, 0 to 3
 * @param tierFlag {@code general_tier_flag}: false Main tier, true High tier
 * @param profileIdc {@code general_profile_idc}, 0 to 31
 * @param profileCompatibilityFlags {@code general_profile_compatibility_flag[0..31]}, flag 0
 *     in the most significant bit as in the bitstream
 * @param constraintIndicatorFlags the 48 bits from {@code general_progressive_source_flag}
 *     to {@code general_inbld_flag}/reserved bit, first bit most significant
 * @param levelIdc {@code general_level_idc}, thirty times the level number
 */
public record H265ProfileTierLevel(
        int profileSpace,
        boolean tierFlag,
        int profileIdc,
        int profileCompatibilityFlags,
        long constraintIndicatorFlags,
        int levelIdc) {

    public H265ProfileTierLevel {
        if (profileSpace < 0 || profileSpace > 3) {
            throw new IllegalArgumentException("general_profile_space must be 0..3: " + profileSpace);
        }
        if (profileIdc < 0 || profileIdc > 31) {
            throw new IllegalArgumentException("general_profile_idc must be 0..31: " + profileIdc);
        }
        if (constraintIndicatorFlags < 0 || constraintIndicatorFlags >= 1L << 48) {
            throw new IllegalArgumentException("constraint flags must fit 48 bits: " + constraintIndicatorFlags);
        }
        if (levelIdc < 0 || levelIdc > 255) {
            throw new IllegalArgumentException("general_level_idc must be 0..255: " + levelIdc);
        }
    }

    /** Bits of a sub-layer's profile fields: space, tier, idc, 32 compatibility and 48 constraint bits. */
    private static final int SUB_LAYER_PROFILE_BITS = 2 + 1 + 5 + 32 + 48;

    /**
     * Reads {@code profile_tier_level(1, maxSubLayersMinus1)} and skips the sub-layer
     * fields, whose presence flags decide how many bits follow (§7.3.3).
     *
     * @throws io.livehub.media.MalformedMediaException if the data ends early
     */
    public static H265ProfileTierLevel read(BitReader r, int maxSubLayersMinus1) {
        if (maxSubLayersMinus1 < 0 || maxSubLayersMinus1 > 6) {
            throw new IllegalArgumentException("maxSubLayersMinus1 must be 0..6: " + maxSubLayersMinus1);
        }
        int profileSpace = r.readBits(2);
        boolean tier = r.readFlag();
        int profileIdc = r.readBits(5);
        int compatibility = (int) r.readBitsLong(32);
        long constraints = r.readBitsLong(48);
        int levelIdc = r.readBits(8);
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.readFlag();
            levelPresent[i] = r.readFlag();
        }
        if (maxSubLayersMinus1 > 0) {
            // reserved_zero_2bits pad the flag pairs to eight.
            r.skipBits(2L * (8 - maxSubLayersMinus1));
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.skipBits(SUB_LAYER_PROFILE_BITS);
            }
            if (levelPresent[i]) {
                r.skipBits(8); // sub_layer_level_idc
            }
        }
        return new H265ProfileTierLevel(profileSpace, tier, profileIdc, compatibility, constraints, levelIdc);
    }

    /**
     * Returns the RFC 6381 codecs parameter as ISO/IEC 14496-15 §E.3 defines it for
     * {@code hvc1}/{@code hev1}, e.g. {@code hvc1.1.6.L93.B0}.
     *
     * @param sampleEntry {@code "hvc1"} or {@code "hev1"}
     */
    public String codecString(String sampleEntry) {
        StringBuilder sb = new StringBuilder(sampleEntry).append('.');
        if (profileSpace > 0) {
            sb.append((char) ('A' + profileSpace - 1));
        }
        sb.append(profileIdc).append('.');
        // The compatibility flags are written in reverse bit order, in hex without leading zeros.
        sb.append(Integer.toHexString(Integer.reverse(profileCompatibilityFlags)).toUpperCase(Locale.ROOT));
        sb.append('.').append(tierFlag ? 'H' : 'L').append(levelIdc);
        // Constraint bytes follow one by one; trailing zero bytes are left out.
        int lastNonZero = -1;
        for (int i = 0; i < 6; i++) {
            if (constraintByte(i) != 0) {
                lastNonZero = i;
            }
        }
        for (int i = 0; i <= lastNonZero; i++) {
            sb.append('.').append(Integer.toHexString(constraintByte(i)).toUpperCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private int constraintByte(int i) {
        return (int) (constraintIndicatorFlags >>> (40 - 8 * i)) & 0xFF;
    }
}

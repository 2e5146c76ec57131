package io.livehub.webrtc.sdp;

import java.util.Locale;

/**
 * An H.264 {@code profile-level-id} (RFC 6184 section 8.1): profile_idc, the profile-iop
 * constraint flags and level_idc, as three bytes written in hex.
 *
 * @param profileIdc the profile (66 Baseline, 77 Main, 100 High, ...)
 * @param profileIop the constraint_set flags byte
 * @param levelIdc   the level times ten (31 for 3.1)
 */
public record H264ProfileLevelId(int profileIdc, int profileIop, int levelIdc) {

    /** Parses six hex digits; returns null when the text is not that. */
    public static H264ProfileLevelId parse(String hex) {
        if (hex == null || hex.length() != 6) {
            return null;
        }
        try {
            int v = Integer.parseInt(hex, 16);
            return new H264ProfileLevelId(v >>> 16, (v >>> 8) & 0xFF, v & 0xFF);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Names the profile the way RFC 6184 table 5 tells them apart: Constrained Baseline is
     * Baseline with constraint_set1, or Main or Extended with the flags that restrict them to
     * it; the other profiles go by profile_idc.
     */
    public String profileName() {
        boolean set0 = (profileIop & 0x80) != 0;
        boolean set1 = (profileIop & 0x40) != 0;
        if ((profileIdc == 66 && set1) || (profileIdc == 77 && set0) || (profileIdc == 88 && set0 && set1)) {
            return "constrained-baseline";
        }
        return switch (profileIdc) {
            case 66 -> "baseline";
            case 77 -> "main";
            case 88 -> "extended";
            case 100 -> (profileIop & 0x0C) == 0x0C ? "constrained-high" : "high";
            case 110 -> "high-10";
            case 122 -> "high-422";
            case 244 -> "high-444";
            default -> "profile-" + profileIdc;
        };
    }

    /** Returns the six hex digits. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%02x%02x%02x", profileIdc, profileIop, levelIdc);
    }
}

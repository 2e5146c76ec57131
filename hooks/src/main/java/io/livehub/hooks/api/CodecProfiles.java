package io.livehub.hooks.api;

import io.livehub.media.CodecId;
import io.livehub.media.Track;

/**
 * Names codecs, profiles and levels as SRS's API writes them, from a track's codec
 * configuration (AVC and HEVC decoder configuration records, AudioSpecificConfig).
 *
 * <p>Thread-safety: stateless.
 */
final class CodecProfiles {

    private CodecProfiles() {
    }

    /** Returns SRS's name for a codec: {@code H264}, {@code H265}, {@code AV1}, {@code AAC}, ... */
    static String codecName(CodecId codec) {
        return switch (codec) {
            case OPUS -> "Opus";
            case SCRIPT_DATA -> "Data";
            default -> codec.name();
        };
    }

    /** Returns the video profile ({@code High}), or null when the configuration does not say. */
    static String videoProfile(Track t) {
        byte[] c = t.config();
        if (t.codec() == CodecId.H264 && c.length >= 4) {
            return switch (c[1] & 0xff) {
                case 66 -> "Baseline";
                case 77 -> "Main";
                case 88 -> "Extended";
                case 100 -> "High";
                case 110 -> "High10";
                case 122 -> "High422";
                case 244 -> "High444";
                default -> "Other";
            };
        }
        if (t.codec() == CodecId.H265 && c.length >= 13) {
            return switch (c[1] & 0x1f) {
                case 1 -> "Main";
                case 2 -> "Main10";
                case 3 -> "MainStillPicture";
                case 4 -> "RangeExtensions";
                default -> "Other";
            };
        }
        return null;
    }

    /** Returns the video level ({@code 3.1}), or null when the configuration does not say. */
    static String videoLevel(Track t) {
        byte[] c = t.config();
        if (t.codec() == CodecId.H264 && c.length >= 4) {
            int level = c[3] & 0xff;
            return level / 10 + "." + level % 10;
        }
        if (t.codec() == CodecId.H265 && c.length >= 13) {
            // general_level_idc is 30 times the level.
            int level = (c[12] & 0xff) / 3;
            return level / 10 + "." + level % 10;
        }
        return null;
    }

    /** Returns the AAC profile ({@code LC}, {@code HE}, {@code HEv2}, {@code Main}), or null. */
    static String audioProfile(Track t) {
        if (t.codec() != CodecId.AAC || t.configLength() < 1) {
            return null;
        }
        int objectType = (t.config()[0] & 0xff) >>> 3;
        return switch (objectType) {
            case 1 -> "Main";
            case 2 -> "LC";
            case 3 -> "SSR";
            case 5 -> "HE";
            case 29 -> "HEv2";
            default -> "Other";
        };
    }
}

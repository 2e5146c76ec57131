package io.livehub.isobmff;

import java.util.List;

/**
 * Writes the boxes of a movie fragment header (ISO/IEC 14496-12 §8.8.4 to §8.8.12):
 * {@code mfhd}, {@code tfhd}, {@code tfdt} and {@code trun}. {@link FragmentBuilder} puts them
 * together with the {@code mdat}.
 *
 * <p>Thread-safety: stateless.
 */
final class MovieFragmentEncoder {

    static final int MOOF = BoxWriter.fourCc("moof");
    static final int MFHD = BoxWriter.fourCc("mfhd");
    static final int TRAF = BoxWriter.fourCc("traf");
    static final int TFHD = BoxWriter.fourCc("tfhd");
    static final int TFDT = BoxWriter.fourCc("tfdt");
    static final int TRUN = BoxWriter.fourCc("trun");
    static final int MDAT = BoxWriter.fourCc("mdat");

    /** {@code tfhd} flag: offsets are relative to the start of the {@code moof} (§8.8.7.1). */
    static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x02_0000;

    /** {@code trun} flags (§8.8.8.1). */
    static final int TRUN_DATA_OFFSET = 0x000001;
    static final int TRUN_SAMPLE_DURATION = 0x000100;
    static final int TRUN_SAMPLE_SIZE = 0x000200;
    static final int TRUN_SAMPLE_FLAGS = 0x000400;
    static final int TRUN_SAMPLE_COMPOSITION_TIME_OFFSET = 0x000800;

    /**
     * {@code sample_flags} (§8.8.3.1) of a sync sample: {@code sample_depends_on} 2 (depends on
     * no other sample), {@code sample_is_non_sync_sample} 0.
     */
    static final int SAMPLE_FLAGS_SYNC = 0x0200_0000;
    /**
     * {@code sample_flags} of any other sample: {@code sample_depends_on} 1 (depends on others)
     * and {@code sample_is_non_sync_sample} 1.
     */
    static final int SAMPLE_FLAGS_NON_SYNC = 0x0101_0000;

    static final int MFHD_LENGTH = BoxWriter.FULL_HEADER_LENGTH + 4;
    static final int TFHD_LENGTH = BoxWriter.FULL_HEADER_LENGTH + 4;
    static final int TFDT_LENGTH = BoxWriter.FULL_HEADER_LENGTH + 8;
    /** A {@code trun} before its per-sample fields: header, sample_count, data_offset. */
    static final int TRUN_FIXED_LENGTH = BoxWriter.FULL_HEADER_LENGTH + 8;

    private MovieFragmentEncoder() {
    }

    /** Writes an {@code mfhd} (§8.8.5) with its {@code sequence_number}. */
    static void writeMfhd(BoxWriter w, long sequenceNumber) {
        w.beginFull(MFHD, 0, 0).u32(sequenceNumber).end();
    }

    /**
     * Writes a {@code tfhd} (§8.8.7) with default-base-is-moof and no defaults: every sample's
     * duration, size and flags are in the {@code trun}, and the sample description is the
     * {@code trex} default (the one entry).
     */
    static void writeTfhd(BoxWriter w, int trackId) {
        w.beginFull(TFHD, 0, TFHD_DEFAULT_BASE_IS_MOOF).u32(trackId).end();
    }

    /** Writes a version-1 {@code tfdt} (§8.8.12) with its 64-bit {@code baseMediaDecodeTime}. */
    static void writeTfdt(BoxWriter w, long baseMediaDecodeTime) {
        w.beginFull(TFDT, 1, 0).u64(baseMediaDecodeTime).end();
    }

    /** Returns whether any of {@code samples} has a composition offset, so the {@code trun} needs the field. */
    static boolean hasCompositionOffsets(List<Sample> samples, int count) {
        for (int i = 0; i < count; i++) {
            if (samples.get(i).compositionOffset != 0) {
                return true;
            }
        }
        return false;
    }

    /** Returns the size of the {@code trun} {@link #writeTrun} writes. */
    static int trunLength(int sampleCount, boolean compositionOffsets) {
        return TRUN_FIXED_LENGTH + sampleCount * (compositionOffsets ? 16 : 12);
    }

    /**
     * Writes a {@code trun} (§8.8.8) for the first {@code count} of {@code samples} with a
     * placeholder {@code data_offset} and per-sample duration, size and flags; with composition
     * offsets when any sample has one, then as version 1 (signed offsets, so a pts before its
     * dts needs no edit list).
     *
     * @return the absolute index of the {@code data_offset} field, for the caller to fill in
     *     once the {@code moof} size is known
     */
    static int writeTrun(BoxWriter w, List<Sample> samples, int count) {
        boolean cto = hasCompositionOffsets(samples, count);
        int flags = TRUN_DATA_OFFSET | TRUN_SAMPLE_DURATION | TRUN_SAMPLE_SIZE | TRUN_SAMPLE_FLAGS
                | (cto ? TRUN_SAMPLE_COMPOSITION_TIME_OFFSET : 0);
        w.beginFull(TRUN, cto ? 1 : 0, flags).u32(count);
        int dataOffsetIndex = w.buffer().writerIndex();
        w.u32(0);
        for (int i = 0; i < count; i++) {
            Sample s = samples.get(i);
            w.u32(s.duration).u32(s.size()).u32(s.sync ? SAMPLE_FLAGS_SYNC : SAMPLE_FLAGS_NON_SYNC);
            if (cto) {
                w.u32(s.compositionOffset);
            }
        }
        w.end();
        return dataOffsetIndex;
    }
}

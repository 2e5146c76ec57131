package io.livehub.codec.aac;

/**
 * Maps {@code samplingFrequencyIndex} to a rate in Hz and back (ISO/IEC 14496-3 Table 1.22).
 */
public final class AacSampleRates {

    /** The index that announces an explicit 24-bit frequency instead of a table entry. */
    public static final int ESCAPE_INDEX = 15;

    private static final int[] RATES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    };

    private AacSampleRates() {
    }

    /** Returns the rate of a table index 0 to 12, or -1 for the reserved indexes and 15. */
    public static int rateOf(int index) {
        return index >= 0 && index < RATES.length ? RATES[index] : -1;
    }

    /** Returns the table index of an exact rate, or -1 when the table has none. */
    public static int indexOf(int rate) {
        for (int i = 0; i < RATES.length; i++) {
            if (RATES[i] == rate) {
                return i;
            }
        }
        return -1;
    }
}

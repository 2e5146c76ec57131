package io.livehub.rtmp.amf;

import java.time.Instant;

/**
 * Holds an AMF date (AMF0 spec §2.13, AMF3 spec §3.8): milliseconds since the Unix epoch as a
 * double and, for AMF0 only, a time-zone field that the spec says to write as zero.
 *
 * @param epochMillis milliseconds since 1970-01-01T00:00:00Z (UTC)
 * @param timeZone the AMF0 time-zone field in minutes; 0 for AMF3
 */
public record AmfDate(double epochMillis, short timeZone) {

    /** Creates a date from an instant, truncated to milliseconds. */
    public static AmfDate of(Instant instant) {
        return new AmfDate(instant.toEpochMilli(), (short) 0);
    }

    /** Returns the date as an instant; throws {@link ArithmeticException} when out of range. */
    public Instant toInstant() {
        if (Double.isNaN(epochMillis) || Double.isInfinite(epochMillis)) {
            throw new ArithmeticException("not a finite date: " + epochMillis);
        }
        return Instant.ofEpochMilli(Math.round(epochMillis));
    }
}

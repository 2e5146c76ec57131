package io.livehub.srt;

import io.livehub.srt.handshake.SrtRejectReason;

/**
 * Tells that an SRT connection attempt failed: the listener rejected it with a reject reason
 * code (draft-sharabayko-srt section 3.2.1), or it timed out ({@link SrtRejectReason#TIMEOUT}).
 */
public final class SrtRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int rejectCode;

    public SrtRejectedException(int rejectCode, String message) {
        super(message);
        this.rejectCode = rejectCode;
    }

    /** Returns the reject reason code. */
    public int rejectCode() {
        return rejectCode;
    }
}

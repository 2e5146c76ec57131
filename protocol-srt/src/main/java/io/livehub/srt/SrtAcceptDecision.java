package io.livehub.srt;

import io.livehub.srt.handshake.SrtRejectReason;
import java.util.Objects;

/**
 * The answer of an {@link SrtAcceptor}: accept with the handler of the new connection, or
 * reject with a reject reason code ({@link SrtRejectReason}; 1000 and above are
 * access-control and application codes) that the caller reports.
 *
 * <p>Thread-safety: immutable.
 */
public final class SrtAcceptDecision {

    private final SrtConnectionHandler handler;
    private final int rejectCode;
    private final String reason;

    private SrtAcceptDecision(SrtConnectionHandler handler, int rejectCode, String reason) {
        this.handler = handler;
        this.rejectCode = rejectCode;
        this.reason = reason;
    }

    public static SrtAcceptDecision accept(SrtConnectionHandler handler) {
        return new SrtAcceptDecision(Objects.requireNonNull(handler, "handler"), -1, "");
    }

    public static SrtAcceptDecision reject(SrtRejectReason reason, String message) {
        return reject(reason.code(), message);
    }

    /** Rejects with any code: 0..999 libsrt reasons, 1000..1999 access control, 2000+ application. */
    public static SrtAcceptDecision reject(int code, String message) {
        if (code < 0) {
            throw new IllegalArgumentException("reject code must not be negative");
        }
        return new SrtAcceptDecision(null, code, message == null ? "" : message);
    }

    public boolean accepted() {
        return handler != null;
    }

    /** Returns the handler of an accepted connection, or null. */
    public SrtConnectionHandler handler() {
        return handler;
    }

    /** Returns the reject code, or -1 when accepted. */
    public int rejectCode() {
        return rejectCode;
    }

    public String reason() {
        return reason;
    }
}

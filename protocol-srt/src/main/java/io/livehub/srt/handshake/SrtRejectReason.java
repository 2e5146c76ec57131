package io.livehub.srt.handshake;

/**
 * Lists the connection reject reasons of libsrt ({@code SRT_REJ_*}, draft-sharabayko-srt
 * section 3.2.1 "Handshake Type"), sent in a rejecting handshake as {@code 1000 + code}.
 * Codes from {@link #PREDEFINED_BASE} (1000) on are the access-control codes of libsrt's
 * {@code access_control.h}, shaped like HTTP status codes ({@code 1000 + status}); from
 * {@link #USER_DEFINED_BASE} (2000) on they belong to applications.
 *
 * <p>Thread-safety: immutable.
 */
public enum SrtRejectReason {
    UNKNOWN(0),
    SYSTEM(1),
    PEER(2),
    RESOURCE(3),
    ROGUE(4),
    BACKLOG(5),
    IPE(6),
    CLOSE(7),
    VERSION(8),
    RDVCOOKIE(9),
    BADSECRET(10),
    UNSECURE(11),
    MESSAGEAPI(12),
    CONGESTION(13),
    FILTER(14),
    GROUP(15),
    TIMEOUT(16),
    /** Access control: the request is malformed (a bad stream id). */
    BAD_REQUEST(1400),
    /** Access control: credentials are missing or wrong. */
    UNAUTHORIZED(1401),
    /** Access control: the server's listeners denied the request. */
    FORBIDDEN(1403),
    /** Access control: no such resource. */
    NOT_FOUND(1404),
    /** Access control: the mode ({@code m=}) is not supported. */
    BAD_MODE(1405),
    /** Access control: the resource is locked, e.g. somebody publishes it already. */
    CONFLICT(1409),
    /** Access control: the server failed. */
    INTERNAL_ERROR(1500),
    /** Access control: the feature is not implemented. */
    UNIMPLEMENTED(1501);

    /** The first access-control code. */
    public static final int PREDEFINED_BASE = 1000;
    /** The first application-defined code. */
    public static final int USER_DEFINED_BASE = 2000;

    private final int code;

    SrtRejectReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns the reason with this code, or null when it has no name here. */
    public static SrtRejectReason of(int code) {
        for (SrtRejectReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }

    /** Returns a name for any code, for logs and error messages. */
    public static String describe(int code) {
        SrtRejectReason r = of(code);
        if (r != null) {
            return r.name() + " (" + code + ")";
        }
        return (code >= USER_DEFINED_BASE ? "USER " : code >= PREDEFINED_BASE ? "PREDEFINED " : "UNKNOWN ") + code;
    }
}

package io.livehub.srt.handshake;

/**
 * Lists the values of the handshake type field (draft-sharabayko-srt section 3.2.1, Table 4).
 * A listener rejects a connection by answering with {@code 1000 + reason}
 * ({@link SrtRejectReason}), as libsrt does.
 *
 * <p>Thread-safety: constants only.
 */
public final class SrtHandshakeType {

    public static final int DONE = 0xFFFF_FFFD;
    public static final int AGREEMENT = 0xFFFF_FFFE;
    public static final int CONCLUSION = 0xFFFF_FFFF;
    public static final int WAVEAHAND = 0x0000_0000;
    public static final int INDUCTION = 0x0000_0001;
    /** The handshake type of a rejection is this plus the reject reason code. */
    public static final int FAILURE_BASE = 1000;

    private SrtHandshakeType() {
    }

    /** Returns whether {@code type} reports a rejection. */
    public static boolean isRejection(int type) {
        return type >= FAILURE_BASE;
    }

    /** Returns the handshake type that rejects with {@code reasonCode}. */
    public static int rejection(int reasonCode) {
        return FAILURE_BASE + reasonCode;
    }

    /** Returns the reject reason code of a rejection type. */
    public static int reasonCode(int type) {
        return type - FAILURE_BASE;
    }

    /** Returns the type's name for logs. */
    public static String name(int type) {
        switch (type) {
            case DONE: return "DONE";
            case AGREEMENT: return "AGREEMENT";
            case CONCLUSION: return "CONCLUSION";
            case WAVEAHAND: return "WAVEAHAND";
            case INDUCTION: return "INDUCTION";
            default:
                return isRejection(type) ? "REJECT(" + SrtRejectReason.describe(reasonCode(type)) + ")" : "type " + type;
        }
    }
}

package io.livehub.srt.packet;

/**
 * Lists the control packet types of draft-sharabayko-srt section 3.2 (Table 1).
 *
 * <p>Thread-safety: constants only.
 */
public final class SrtControlType {

    public static final int HANDSHAKE = 0x0000;
    public static final int KEEPALIVE = 0x0001;
    public static final int ACK = 0x0002;
    public static final int NAK = 0x0003;
    public static final int CONGESTION_WARNING = 0x0004;
    public static final int SHUTDOWN = 0x0005;
    public static final int ACKACK = 0x0006;
    public static final int DROPREQ = 0x0007;
    public static final int PEERERROR = 0x0008;
    /** User-defined type; HSv4 used it with subtypes for HSREQ/HSRSP/KMREQ/KMRSP. */
    public static final int USER_DEFINED = 0x7FFF;

    private SrtControlType() {
    }

    /** Returns the type's name for logs. */
    public static String name(int type) {
        switch (type) {
            case HANDSHAKE: return "HANDSHAKE";
            case KEEPALIVE: return "KEEPALIVE";
            case ACK: return "ACK";
            case NAK: return "NAK";
            case CONGESTION_WARNING: return "CONGESTION_WARNING";
            case SHUTDOWN: return "SHUTDOWN";
            case ACKACK: return "ACKACK";
            case DROPREQ: return "DROPREQ";
            case PEERERROR: return "PEERERROR";
            case USER_DEFINED: return "USER_DEFINED";
            default: return "0x" + Integer.toHexString(type);
        }
    }
}

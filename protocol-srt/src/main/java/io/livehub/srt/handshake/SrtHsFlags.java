package io.livehub.srt.handshake;

/**
 * Lists the SRT flags of the HSREQ/HSRSP extension (draft-sharabayko-srt section 3.2.1.1.1)
 * and of the handshake extension field (section 3.2.1).
 *
 * <p>Thread-safety: constants only.
 */
public final class SrtHsFlags {

    /** The peer sends with TSBPD. */
    public static final int TSBPDSND = 0x01;
    /** The peer receives with TSBPD. */
    public static final int TSBPDRCV = 0x02;
    /** The peer can encrypt. */
    public static final int CRYPT = 0x04;
    /** The peer drops too-late packets. */
    public static final int TLPKTDROP = 0x08;
    /** The peer sends periodic NAK reports. */
    public static final int PERIODICNAK = 0x10;
    /** The peer uses the R flag of data packets. */
    public static final int REXMITFLG = 0x20;
    /** The peer is in stream (not message) mode. */
    public static final int STREAM = 0x40;
    /** The peer uses a packet filter. */
    public static final int PACKET_FILTER = 0x80;

    /** Extension field bit of a conclusion: an HSREQ/HSRSP block follows. */
    public static final int EXT_HSREQ = 0x1;
    /** Extension field bit of a conclusion: a KMREQ/KMRSP block follows. */
    public static final int EXT_KMREQ = 0x2;
    /** Extension field bit of a conclusion: configuration blocks (SID, congestion, ...) follow. */
    public static final int EXT_CONFIG = 0x4;

    /** The extension field of a listener's induction response (HSv5 magic). */
    public static final int SRT_MAGIC = 0x4A17;
    /** The extension field of a caller's induction request (UDT_DGRAM socket type). */
    public static final int UDT_DGRAM = 2;

    private SrtHsFlags() {
    }
}

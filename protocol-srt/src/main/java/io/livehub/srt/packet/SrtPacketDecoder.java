package io.livehub.srt.packet;

import io.livehub.media.MalformedMediaException;
import io.livehub.srt.handshake.SrtHandshake;
import io.netty.buffer.ByteBuf;

/**
 * Decodes one UDP datagram into an {@link SrtPacket} (draft-sharabayko-srt section 3).
 * Every length is checked before it is used: a datagram longer than the configured maximum,
 * shorter than a header, or with a malformed control field raises
 * {@link MalformedMediaException}, never an index exception.
 *
 * <p>Thread-safety: immutable; one instance may be shared.
 *
 * <p>Ownership: the datagram is borrowed and its reader index is moved to its end; a
 * returned {@link SrtDataPacket} holds a retained slice of it, which the caller releases.
 */
public final class SrtPacketDecoder {

    /** The most loss ranges read from one NAK. */
    public static final int MAX_LOSS_RANGES = 2048;

    private final int maxPacketSize;

    /** @param maxPacketSize the longest datagram accepted, bytes (the MTU less IP and UDP headers) */
    public SrtPacketDecoder(int maxPacketSize) {
        if (maxPacketSize < SrtPacket.HEADER_LENGTH + SrtHandshake.CIF_LENGTH) {
            throw new IllegalArgumentException("maxPacketSize too small: " + maxPacketSize);
        }
        this.maxPacketSize = maxPacketSize;
    }

    public int maxPacketSize() {
        return maxPacketSize;
    }

    /**
     * Decodes {@code datagram}.
     *
     * @throws MalformedMediaException when the datagram is not a valid SRT packet
     */
    public SrtPacket decode(ByteBuf datagram) {
        int len = datagram.readableBytes();
        if (len < SrtPacket.HEADER_LENGTH) {
            throw new MalformedMediaException("SRT datagram of " + len + " bytes is shorter than a header");
        }
        if (len > maxPacketSize) {
            throw new MalformedMediaException("SRT datagram of " + len + " bytes exceeds " + maxPacketSize);
        }
        long h0 = datagram.readLong();
        long h1 = datagram.readLong();
        int w0 = (int) (h0 >>> 32);
        int w1 = (int) h0;
        int timestamp = (int) (h1 >>> 32);
        int dst = (int) h1;
        if (w0 >= 0) {
            return new SrtDataPacket(w0, w1 >>> 30, (w1 & 1 << 29) != 0, (w1 >>> 27) & 3, (w1 & 1 << 26) != 0,
                    w1 & SrtDataPacket.MAX_MESSAGE_NUMBER, timestamp, dst,
                    datagram.readRetainedSlice(datagram.readableBytes()));
        }
        int type = (w0 >>> 16) & 0x7FFF;
        int subtype = w0 & 0xFFFF;
        try {
            return decodeControl(type, subtype, w1, timestamp, dst, datagram);
        } finally {
            datagram.skipBytes(datagram.readableBytes());
        }
    }

    private static SrtKeyMaterialControl decodeKeyMaterial(int subtype, int ts, int dst, ByteBuf cif) {
        int n = cif.readableBytes();
        if (n < 4 || n % 4 != 0 || n > SrtKeyMaterialControl.MAX_CONTENT) {
            throw new MalformedMediaException("SRT in-stream key material of " + n + " bytes");
        }
        byte[] content = new byte[n];
        cif.readBytes(content);
        return new SrtKeyMaterialControl(subtype, content, ts, dst);
    }

    private static SrtControlPacket decodeControl(int type, int subtype, int info, int ts, int dst, ByteBuf cif) {
        switch (type) {
            case SrtControlType.HANDSHAKE:
                return SrtHandshake.decodeCif(cif, ts, dst);
            case SrtControlType.KEEPALIVE:
                return new SrtKeepalive(ts, dst);
            case SrtControlType.ACK: {
                int n = cif.readableBytes();
                if (n < 4) {
                    throw new MalformedMediaException("SRT ACK without a sequence number");
                }
                int words = n >= 28 ? 7 : n >= 16 ? 4 : 1;
                int[] f = new int[7];
                for (int i = 0; i < words; i++) {
                    f[i] = cif.readInt();
                }
                if (f[0] < 0) {
                    throw new MalformedMediaException("SRT ACK with an invalid sequence number");
                }
                return new SrtAck(info, f[0], f[1], f[2], f[3], f[4], f[5], f[6], words, ts, dst);
            }
            case SrtControlType.NAK:
                return new SrtNak(SrtLossList.decode(cif, MAX_LOSS_RANGES), ts, dst);
            case SrtControlType.SHUTDOWN:
                return new SrtShutdown(ts, dst);
            case SrtControlType.ACKACK:
                return new SrtAckAck(info, ts, dst);
            case SrtControlType.DROPREQ: {
                if (cif.readableBytes() < 8) {
                    throw new MalformedMediaException("SRT drop request without its sequence range");
                }
                int first = cif.readInt();
                int last = cif.readInt();
                if (first < 0 || last < 0) {
                    throw new MalformedMediaException("SRT drop request with invalid sequence numbers");
                }
                return new SrtDropRequest(info & SrtDataPacket.MAX_MESSAGE_NUMBER, first, last, ts, dst);
            }
            case SrtControlType.PEERERROR:
                return new SrtPeerError(info, ts, dst);
            case SrtControlType.USER_DEFINED:
                if (subtype == SrtKeyMaterialControl.KMREQ || subtype == SrtKeyMaterialControl.KMRSP) {
                    return decodeKeyMaterial(subtype, ts, dst, cif);
                }
                return new SrtOtherControl(type, subtype, info, ts, dst);
            default:
                return new SrtOtherControl(type, subtype, info, ts, dst);
        }
    }
}

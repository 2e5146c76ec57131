package io.livehub.webrtc.rtp;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/**
 * Reads a compound (or, with rtcp-rsize, reduced-size, RFC 5506) RTCP packet from a viewer:
 * receiver and sender report blocks (RFC 3550 section 6.4), generic NACK (RFC 4585 section
 * 6.2.1), PLI (section 6.3.1), FIR (RFC 5104 section 4.3.1) and BYE (RFC 3550 section
 * 6.6). Other packet types (SDES, APP, XR, REMB, transport-cc) are skipped.
 *
 * <p>Limits: each packet's length is checked against the datagram; at most
 * {@code maxNackSequences} lost sequence numbers are reported per datagram (the rest are
 * ignored), so a viewer cannot make one datagram ask for more than that many retransmissions.
 *
 * <p>Thread-safety: not thread-safe (reuses a buffer); one per receiving session.
 */
public final class RtcpParser {

    private final int[] lost;

    public RtcpParser(int maxNackSequences) {
        this.lost = new int[maxNackSequences];
    }

    /**
     * Parses the whole readable region of {@code compound}; borrowed, indexes untouched.
     *
     * @throws MalformedMediaException when a packet's header or length is wrong
     */
    public void parse(ByteBuf compound, RtcpListener listener) {
        int i = compound.readerIndex();
        int end = compound.writerIndex();
        int nacks = 0;
        while (i < end) {
            if (end - i < 4) {
                throw new MalformedMediaException("RTCP header cut at " + (i - compound.readerIndex()));
            }
            int b0 = compound.getUnsignedByte(i);
            if ((b0 >>> 6) != 2) {
                throw new MalformedMediaException("RTCP version " + (b0 >>> 6));
            }
            int count = b0 & 0x1F;
            int pt = compound.getUnsignedByte(i + 1);
            int len = 4 * (compound.getUnsignedShort(i + 2) + 1);
            if (len > end - i) {
                throw new MalformedMediaException("RTCP packet of " + len + " bytes runs past the datagram");
            }
            int body = i + 4;
            int packetEnd = i + len;
            switch (pt) {
                case 200, 201 -> {
                    if (pt == 200 && len >= 28) {
                        listener.onSenderReport(compound.getInt(body), compound.getLong(body + 4),
                                compound.getUnsignedInt(body + 12));
                    }
                    int blocks = body + 4 + (pt == 200 ? 20 : 0);
                    for (int r = 0; r < count && blocks + 24 <= packetEnd; r++, blocks += 24) {
                        listener.onReceiverReport(compound.getInt(blocks), compound.getUnsignedByte(blocks + 4),
                                compound.getMedium(blocks + 5), compound.getUnsignedInt(blocks + 12));
                    }
                }
                case 205 -> {
                    if (count == 1 && len >= 12) {
                        int media = compound.getInt(body + 4);
                        int n = 0;
                        for (int f = body + 8; f + 4 <= packetEnd; f += 4) {
                            int pid = compound.getUnsignedShort(f);
                            int blp = compound.getUnsignedShort(f + 2);
                            for (int bit = -1; bit < 16; bit++) {
                                if ((bit < 0 || (blp & (1 << bit)) != 0) && nacks < lost.length) {
                                    lost[n++] = (pid + bit + 1) & 0xFFFF;
                                    nacks++;
                                }
                            }
                        }
                        if (n > 0) {
                            listener.onNack(media, lost, n);
                        }
                    }
                }
                case 206 -> {
                    if (count == 1 && len >= 12) {
                        listener.onPictureLoss(compound.getInt(body + 4));
                    } else if (count == 4 && len >= 20) {
                        listener.onFullIntraRequest(compound.getInt(body + 8));
                    }
                }
                case 203 -> {
                    if (count >= 1 && len >= 8) {
                        listener.onBye(compound.getInt(body));
                    }
                }
                default -> {
                    // SDES, APP, XR, REMB, transport-cc: nothing to do yet.
                }
            }
            i = packetEnd;
        }
    }
}

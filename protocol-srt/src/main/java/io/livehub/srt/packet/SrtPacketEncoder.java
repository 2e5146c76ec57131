package io.livehub.srt.packet;

import io.livehub.srt.handshake.SrtHandshake;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes {@link SrtPacket}s into datagram payloads (draft-sharabayko-srt section 3).
 * Keep-alive, ACKACK and shutdown packets get four zero bytes of CIF, as libsrt sends them.
 *
 * <p>Thread-safety: stateless.
 */
public final class SrtPacketEncoder {

    private static final int CONTROL_FLAG = 0x8000_0000;

    private SrtPacketEncoder() {
    }

    /**
     * Encodes {@code packet} into a new buffer.
     *
     * <p>Ownership: the packet (and a data packet's payload) is borrowed; the caller owns the
     * returned buffer.
     */
    public static ByteBuf encode(SrtPacket packet, ByteBufAllocator alloc) {
        if (packet instanceof SrtDataPacket) {
            SrtDataPacket d = (SrtDataPacket) packet;
            ByteBuf payload = d.content();
            ByteBuf out = alloc.ioBuffer(SrtPacket.HEADER_LENGTH + payload.readableBytes());
            // Two long writes instead of four int writes: fewer calls on the hot path.
            out.writeLong((long) d.sequenceNumber() << 32 | (d.messageWord() & 0xFFFF_FFFFL));
            out.writeLong((long) d.timestamp() << 32 | (d.destinationSocketId() & 0xFFFF_FFFFL));
            out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            return out;
        }
        SrtControlPacket c = (SrtControlPacket) packet;
        int subtype = 0;
        int info = 0;
        int cifLength;
        if (c instanceof SrtHandshake) {
            cifLength = ((SrtHandshake) c).cifLength();
        } else if (c instanceof SrtAck) {
            SrtAck a = (SrtAck) c;
            info = a.ackNumber();
            cifLength = a.words() * 4;
        } else if (c instanceof SrtNak) {
            cifLength = ((SrtNak) c).losses().encodedLength();
        } else if (c instanceof SrtAckAck) {
            info = ((SrtAckAck) c).ackNumber();
            cifLength = 4;
        } else if (c instanceof SrtDropRequest) {
            info = ((SrtDropRequest) c).messageNumber();
            cifLength = 8;
        } else if (c instanceof SrtPeerError) {
            info = ((SrtPeerError) c).errorCode();
            cifLength = 4;
        } else if (c instanceof SrtKeyMaterialControl) {
            subtype = ((SrtKeyMaterialControl) c).subtype();
            cifLength = ((SrtKeyMaterialControl) c).length();
        } else if (c instanceof SrtOtherControl) {
            subtype = ((SrtOtherControl) c).subtype();
            info = ((SrtOtherControl) c).typeInfo();
            cifLength = 4;
        } else {
            cifLength = 4; // keep-alive, shutdown
        }
        ByteBuf out = alloc.ioBuffer(SrtPacket.HEADER_LENGTH + cifLength);
        out.writeInt(CONTROL_FLAG | c.controlType() << 16 | subtype);
        out.writeInt(info);
        out.writeInt(c.timestamp());
        out.writeInt(c.destinationSocketId());
        if (c instanceof SrtHandshake) {
            ((SrtHandshake) c).encodeCif(out);
        } else if (c instanceof SrtAck) {
            SrtAck a = (SrtAck) c;
            int[] f = {a.lastAcknowledgedSequence(), a.rtt(), a.rttVariance(), a.availableBuffer(),
                a.packetReceiveRate(), a.linkCapacity(), a.receiveRate()};
            for (int i = 0; i < a.words(); i++) {
                out.writeInt(f[i]);
            }
        } else if (c instanceof SrtNak) {
            ((SrtNak) c).losses().encode(out);
        } else if (c instanceof SrtDropRequest) {
            out.writeInt(((SrtDropRequest) c).firstSequence());
            out.writeInt(((SrtDropRequest) c).lastSequence());
        } else if (c instanceof SrtKeyMaterialControl) {
            out.writeBytes(((SrtKeyMaterialControl) c).contentUnsafe());
        } else {
            out.writeInt(0);
        }
        return out;
    }
}

package io.livehub.rtmp.message;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/**
 * Splits an aggregate message (RTMP spec §7.1.6) into its sub-messages, which are laid out
 * like FLV tags: type, 24-bit size, timestamp with its extension byte, 24-bit stream id, body,
 * then a 4-byte back pointer. Sub-message timestamps are taken relative to the first one and
 * added to the aggregate's own timestamp.
 */
public final class RtmpAggregate {

    private static final int SUB_HEADER_LENGTH = 11;
    private static final int BACK_POINTER_LENGTH = 4;

    private RtmpAggregate() {
    }

    /** Receives one sub-message. */
    @FunctionalInterface
    public interface SubMessageHandler {
        /**
         * Handles one sub-message.
         *
         * <p>Ownership: {@code body} is a slice of the aggregate, borrowed for the call.
         *
         * @param timestamp milliseconds, modulo 2^32
         */
        void onSubMessage(int typeId, long timestamp, ByteBuf body);
    }

    /**
     * Calls {@code handler} for each sub-message of {@code aggregate}, in order.
     *
     * <p>Ownership: {@code aggregate} is borrowed; its indexes do not move.
     *
     * @throws MalformedMediaException when a sub-message overruns the aggregate
     */
    public static void forEach(RtmpMessage aggregate, SubMessageHandler handler) {
        ByteBuf b = aggregate.content().duplicate();
        long base = -1;
        while (b.readableBytes() >= SUB_HEADER_LENGTH) {
            int type = b.readUnsignedByte();
            int size = b.readUnsignedMedium();
            long ts = b.readUnsignedMedium() | ((long) b.readUnsignedByte() << 24);
            b.skipBytes(3);
            if (size + BACK_POINTER_LENGTH > b.readableBytes()) {
                throw new MalformedMediaException("aggregate sub-message of " + size + " bytes overruns the message");
            }
            if (base < 0) {
                base = ts;
            }
            ByteBuf body = b.readSlice(size);
            b.skipBytes(BACK_POINTER_LENGTH);
            handler.onSubMessage(type, (aggregate.timestamp() + (ts - base)) & 0xFFFF_FFFFL, body);
        }
    }
}

package io.livehub.codec.aac;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Converts between ADTS frames (ISO/IEC 14496-3 §1.A.2) and the raw AAC frames plus
 * {@link AudioSpecificConfig} that the hub, MP4 and RTMP carry.
 *
 * <p>Thread-safety: stateless.
 */
public final class Adts {

    private Adts() {
    }

    /**
     * Reads one ADTS frame from {@code in} and returns its raw payload; the configuration is
     * {@code AdtsHeader.parse(in, in.readerIndex()).audioSpecificConfig()} read beforehand.
     *
     * <p>Ownership: {@code in} is borrowed and its reader index moves past the frame; the
     * result is a retained slice of {@code in} that the caller releases. On error nothing
     * is read.
     *
     * @throws MalformedMediaException if the header is bad, the frame runs past the readable
     *     bytes, or it packs more than one raw data block (splitting them would need decoding)
     */
    public static ByteBuf readRawFrame(ByteBuf in) {
        AdtsHeader header = AdtsHeader.parse(in, in.readerIndex());
        if (header.frameLength() > in.readableBytes()) {
            throw new MalformedMediaException("ADTS frame of " + header.frameLength() + " bytes, "
                    + in.readableBytes() + " readable");
        }
        if (header.rawDataBlocks() != 1) {
            throw new MalformedMediaException("ADTS frame with " + header.rawDataBlocks()
                    + " raw data blocks is not supported");
        }
        in.skipBytes(header.headerLength());
        return in.readRetainedSlice(header.payloadLength());
    }

    /**
     * Returns {@code rawFrame} behind a 7-byte ADTS header built from {@code config}.
     *
     * <p>Ownership: {@code rawFrame} is borrowed and its indices are left alone; the result
     * is a new buffer from {@code alloc} that the caller releases.
     *
     * @throws MalformedMediaException if ADTS cannot describe {@code config} or the frame is
     *     longer than 8184 bytes
     */
    public static ByteBuf toAdts(ByteBuf rawFrame, AudioSpecificConfig config, ByteBufAllocator alloc) {
        int length = rawFrame.readableBytes();
        AdtsHeader header = AdtsHeader.of(config, length);
        ByteBuf out = alloc.buffer(header.frameLength());
        header.encode(out);
        out.writeBytes(rawFrame, rawFrame.readerIndex(), length);
        return out;
    }
}

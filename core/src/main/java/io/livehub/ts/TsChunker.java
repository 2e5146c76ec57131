package io.livehub.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Groups transport packets into fixed-size chunks of whole packets, by default 7 packets
 * (1316 bytes), the payload that SRT live mode and MPEG-TS over UDP carry per datagram
 * (SMPTE 2022-2 and the SRT live default), so that no packet straddles two datagrams.
 *
 * <p>Input of any number of whole packets is accepted; packets that do not fill a chunk wait
 * for the next input or {@link #flush}. Chunks cut from one input are slices of it (no copy);
 * a chunk that spans two inputs is copied into a buffer of its own.
 *
 * <p>Thread-safety: not thread-safe; one chunker per output, on the thread of its muxer.
 *
 * <p>Ownership: inputs are borrowed; every chunk added to the output list and returned by
 * {@link #flush} belongs to the caller. Call {@link #close} to release waiting packets.
 */
public final class TsChunker implements AutoCloseable {

    private final int chunkSize;
    private final ByteBufAllocator alloc;
    private ByteBuf pending;

    /** Creates a chunker of {@value TsPacket#CHUNK_SIZE}-byte chunks. */
    public TsChunker(ByteBufAllocator alloc) {
        this(alloc, 7);
    }

    /**
     * Creates a chunker of {@code packetsPerChunk} packets per chunk.
     *
     * @throws IllegalArgumentException unless {@code packetsPerChunk} is 1 to 64
     */
    public TsChunker(ByteBufAllocator alloc, int packetsPerChunk) {
        if (packetsPerChunk < 1 || packetsPerChunk > 64) {
            throw new IllegalArgumentException("packetsPerChunk must be 1..64: " + packetsPerChunk);
        }
        this.alloc = alloc;
        this.chunkSize = packetsPerChunk * TsPacket.SIZE;
    }

    /** Returns the chunk size in bytes. */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Reads every byte of {@code packets} and adds each completed chunk to {@code out}.
     *
     * <p>Ownership: {@code packets} is borrowed and its reader index moves to its writer
     * index; chunks added to {@code out} are retained slices or new buffers that the caller
     * releases.
     *
     * @throws IllegalArgumentException when the input is not a whole number of packets
     */
    public void add(ByteBuf packets, List<ByteBuf> out) {
        if (packets.readableBytes() % TsPacket.SIZE != 0) {
            throw new IllegalArgumentException("not whole TS packets: " + packets.readableBytes() + " bytes");
        }
        if (pending != null) {
            int take = Math.min(chunkSize - pending.readableBytes(), packets.readableBytes());
            pending.writeBytes(packets, take);
            if (pending.readableBytes() == chunkSize) {
                out.add(pending);
                pending = null;
            }
        }
        while (packets.readableBytes() >= chunkSize) {
            out.add(packets.readRetainedSlice(chunkSize));
        }
        if (packets.isReadable()) {
            pending = alloc.buffer(chunkSize);
            pending.writeBytes(packets);
        }
    }

    /**
     * Reads every byte of {@code packets} like {@link #add} and then flushes: the packets that do
     * not fill a chunk go out as a last, shorter chunk, so nothing waits (an SRT player sends
     * each frame at once). Without packets waiting from before, every chunk is a slice of
     * {@code packets} (no copy).
     *
     * <p>Ownership: {@code packets} is borrowed and its reader index moves to its writer index;
     * chunks added to {@code out} are retained slices or new buffers that the caller releases.
     *
     * @throws IllegalArgumentException when the input is not a whole number of packets
     */
    public void addAndFlush(ByteBuf packets, List<ByteBuf> out) {
        if (pending != null) {
            add(packets, out);
            ByteBuf rest = flush();
            if (rest != null) {
                out.add(rest);
            }
            return;
        }
        if (packets.readableBytes() % TsPacket.SIZE != 0) {
            throw new IllegalArgumentException("not whole TS packets: " + packets.readableBytes() + " bytes");
        }
        while (packets.isReadable()) {
            out.add(packets.readRetainedSlice(Math.min(chunkSize, packets.readableBytes())));
        }
    }

    /**
     * Returns the packets waiting for a full chunk, or null when none wait; for the end of a
     * stream or a latency deadline.
     *
     * <p>Ownership: the caller releases the returned buffer.
     */
    public ByteBuf flush() {
        ByteBuf b = pending;
        pending = null;
        return b;
    }

    /** Releases the packets waiting for a full chunk. */
    @Override
    public void close() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}

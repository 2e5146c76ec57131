package io.livehub.bench.load;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Removes HTTP/1.1 chunked transfer coding (RFC 9112 §7.1) from a response body as it arrives,
 * in pieces of any size, and passes the data on as slices of the input, without copying.
 *
 * <p>Chunk extensions are ignored; after the last chunk (size 0) the rest of the input, trailer
 * fields included, is ignored. A size line that is not hexadecimal, or longer than 64 bytes,
 * makes {@link #decode} throw {@link IllegalStateException}.
 *
 * <p>Ownership: {@link #decode} borrows its buffer and reads all of it; the consumer gets slices
 * that are valid only during the call.
 *
 * <p>Thread-safety: not thread-safe; one decoder per connection, used on its event loop.
 */
final class ChunkedBodyDecoder {

    private static final int MAX_SIZE_LINE = 64;

    private enum State { SIZE, DATA, DATA_END, DONE }

    private final Consumer<ByteBuf> data;
    private State state = State.SIZE;
    private long size;
    private int sizeDigits;
    private boolean inExtension;
    private int lineLength;
    private long left;
    private int endRead;

    ChunkedBodyDecoder(Consumer<ByteBuf> data) {
        this.data = data;
    }

    /** Returns whether the last chunk was read. */
    boolean isDone() {
        return state == State.DONE;
    }

    /**
     * Decodes all readable bytes of {@code in}.
     *
     * @throws IllegalStateException when the coding is malformed
     */
    void decode(ByteBuf in) {
        while (in.isReadable()) {
            switch (state) {
                case SIZE -> {
                    int c = in.readUnsignedByte();
                    if (++lineLength > MAX_SIZE_LINE) {
                        throw new IllegalStateException("chunk size line longer than " + MAX_SIZE_LINE + " bytes");
                    }
                    if (c == '\n') {
                        if (sizeDigits == 0) {
                            throw new IllegalStateException("chunk size line without a size");
                        }
                        left = size;
                        size = 0;
                        sizeDigits = 0;
                        inExtension = false;
                        lineLength = 0;
                        state = left == 0 ? State.DONE : State.DATA;
                    } else if (c == ';' || c == ' ' || c == '\t') {
                        inExtension = true;
                    } else if (c != '\r' && !inExtension) {
                        int d = Character.digit(c, 16);
                        if (d < 0 || ++sizeDigits > 15) {
                            throw new IllegalStateException("bad chunk size character 0x" + Integer.toHexString(c));
                        }
                        size = size * 16 + d;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(left, in.readableBytes());
                    data.accept(in.readSlice(n));
                    left -= n;
                    if (left == 0) {
                        endRead = 0;
                        state = State.DATA_END;
                    }
                }
                case DATA_END -> {
                    in.skipBytes(1);
                    if (++endRead == 2) {
                        state = State.SIZE;
                    }
                }
                case DONE -> in.skipBytes(in.readableBytes());
                default -> throw new AssertionError(state);
            }
        }
    }
}

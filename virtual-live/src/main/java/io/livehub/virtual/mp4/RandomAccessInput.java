package io.livehub.virtual.mp4;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Reads bytes at absolute positions of a file (or, in tests, of an array) without moving a
 * shared position, so the sample tables and the samples can be read in any order and a 1 GB
 * file is never loaded whole.
 *
 * <p>Thread-safety: the implementations given here are safe for concurrent reads.
 */
public interface RandomAccessInput {

    /** Returns the length of the input in bytes. */
    long size() throws IOException;

    /**
     * Fills {@code dst} from {@code position} on.
     *
     * @throws EOFException when the input ends before {@code dst} is full
     */
    void readFully(long position, ByteBuffer dst) throws IOException;

    /** Returns an input over {@code channel}; the caller closes the channel. */
    static RandomAccessInput of(FileChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return new RandomAccessInput() {
            @Override
            public long size() throws IOException {
                return channel.size();
            }

            @Override
            public void readFully(long position, ByteBuffer dst) throws IOException {
                long p = position;
                while (dst.hasRemaining()) {
                    int n = channel.read(dst, p);
                    if (n < 0) {
                        throw new EOFException("end of file at " + p);
                    }
                    p += n;
                }
            }
        };
    }

    /** Returns an input over {@code bytes}, which it does not copy. */
    static RandomAccessInput of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new RandomAccessInput() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void readFully(long position, ByteBuffer dst) throws IOException {
                if (position < 0 || position + dst.remaining() > bytes.length) {
                    throw new EOFException("read of " + dst.remaining() + " bytes at " + position
                            + " past the end (" + bytes.length + ")");
                }
                dst.put(bytes, (int) position, dst.remaining());
            }
        };
    }
}

package io.livehub.mp4;

import io.livehub.isobmff.BoxWriter;
import io.livehub.isobmff.ProgressiveMovieEncoder;
import io.livehub.isobmff.ProgressiveTrack;
import io.livehub.mp4.internal.FragmentedFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * Turns a fragmented MP4 written by {@link Mp4RecordingWriter} (complete, or cut short by a
 * crash) into its finished file.
 *
 * <p>The progressive file is {@code ftyp}, {@code moov} with full sample tables and edit lists
 * ({@link ProgressiveMovieEncoder}), then one {@code mdat} whose payload is the samples of every
 * complete fragment in their order, each fragment's run of a track one chunk. The samples are
 * copied file to file ({@link FileChannel#transferTo}), never loaded whole, so any size works;
 * offsets become 64-bit ({@code co64}) and the {@code mdat} header a {@code largesize} past
 * 4 GiB. It is written to {@code <target>.tmp}, forced to disk, and renamed onto the target
 * atomically (where the file system can), so a reader never sees half a file; then the
 * fragmented file is deleted.
 *
 * <p>Thread-safety: stateless; finish different files concurrently as you like.
 */
public final class Mp4Finisher {

    /** Suffix of the progressive file while it is written. */
    public static final String TMP_SUFFIX = ".tmp";

    private Mp4Finisher() {
    }

    /**
     * Finishes {@code part} as {@code target}: a progressive MP4, or with {@code keepFragmented}
     * the fragmented file itself, cut after its last complete fragment.
     *
     * <p>Ownership: buffers taken from {@code alloc} are released before this returns.
     *
     * @throws io.livehub.mp4.internal.MalformedFileException when {@code part} is not a
     *     fragmented MP4 this module can read; {@code part} is left as it is
     * @throws IOException when reading or writing fails; {@code part} is left as it is and a
     *     {@code .tmp} file is removed
     */
    public static RecordingResult finish(Path part, Path target, boolean keepFragmented, FileChannelFactory channels,
            ByteBufAllocator alloc) throws IOException {
        FragmentedFile scan;
        try (FileChannel in = channels.open(part, StandardOpenOption.READ)) {
            scan = FragmentedFile.scan(in, in.size());
        }
        Duration duration = Duration.ofNanos(Math.round(scan.durationSeconds() * 1e9));
        if (keepFragmented) {
            if (scan.truncated()) {
                try (FileChannel ch = channels.open(part, StandardOpenOption.WRITE)) {
                    ch.truncate(scan.validLength());
                    ch.force(true);
                }
            }
            move(part, target);
            return new RecordingResult(target, duration, Files.size(target));
        }
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        try {
            writeProgressive(part, tmp, scan, channels, alloc);
            move(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.deleteIfExists(part);
        return new RecordingResult(target, duration, Files.size(target));
    }

    private static void writeProgressive(Path part, Path tmp, FragmentedFile scan, FileChannelFactory channels,
            ByteBufAllocator alloc) throws IOException {
        List<ProgressiveTrack> tracks = scan.progressiveTracks();
        long payload = scan.payloadLength();
        int mdatHeader = BoxWriter.headerLength(payload);
        long headLength;
        ByteBuf probe = ProgressiveMovieEncoder.encode(tracks, 0, false, alloc);
        try {
            headLength = probe.readableBytes();
        } finally {
            probe.release();
        }
        boolean co64 = ProgressiveMovieEncoder.needsCo64(headLength + mdatHeader, payload);
        if (co64) {
            ByteBuf again = ProgressiveMovieEncoder.encode(tracks, 0, true, alloc);
            try {
                headLength = again.readableBytes();
            } finally {
                again.release();
            }
        }
        ByteBuf head = ProgressiveMovieEncoder.encode(tracks, headLength + mdatHeader, co64, alloc);
        try (FileChannel in = channels.open(part, StandardOpenOption.READ);
                FileChannel out = channels.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            BoxWriter.writeHeader(head, BoxWriter.fourCc("mdat"), payload);
            ByteBuffer b = head.nioBuffer();
            long position = 0;
            while (b.hasRemaining()) {
                position += out.write(b, position);
            }
            for (int i = 0; i < scan.chunkCount(); i++) {
                long src = scan.chunkSource(i);
                long remaining = scan.chunkLength(i);
                while (remaining > 0) {
                    long n = in.transferTo(src, remaining, out.position(position));
                    if (n <= 0) {
                        throw new IOException("copying samples from " + part + " made no progress at " + src);
                    }
                    src += n;
                    position += n;
                    remaining -= n;
                }
            }
            out.force(true);
        } finally {
            head.release();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

package io.livehub.mp4;

import io.livehub.flv.FlvHeader;
import io.livehub.flv.FlvMediaEncoder;
import io.livehub.flv.FlvTagDecoder;
import io.livehub.flv.FlvTagEncoder;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
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
import java.util.Objects;

/**
 * Writes one recording as an FLV file (Adobe FLV v10.1, Annex E; Enhanced RTMP for H.265, AV1
 * and Opus), the cheap alternative to MP4: no rewrite at the end, and a file cut anywhere
 * plays up to its last complete tag.
 *
 * <p>The file is {@code <target>.part} while recording: the FLV header, a sequence header per
 * track, then one tag per frame ({@link FlvMediaEncoder}), with timestamps counted from the
 * first frame written. Tags are gathered and written every
 * {@link Mp4WriterConfig#fragmentDuration()} (forced to disk with
 * {@link Mp4WriterConfig#syncEachFragment()}), or sooner when
 * {@link Mp4WriterConfig#maxFragmentBytes()} are waiting. {@link #finishEnded} cuts an
 * incomplete last tag off and renames the file onto the target; so does
 * {@link Mp4Recovery} for a file a crash left behind.
 *
 * <p>Ownership: {@link #write} borrows the frame. Thread-safety: not thread-safe.
 */
public final class FlvRecordingWriter implements RecordingWriter {

    private static final Timebase MICROS = new Timebase(1, 1_000_000);

    private final Path target;
    private final Path part;
    private final List<Track> tracks;
    private final Mp4WriterConfig config;
    private final FileChannelFactory channels;
    private final ByteBufAllocator alloc;
    private final long flushMicros;
    private FileChannel channel;
    private CompositeByteBuf pending;
    private long originMicros = Long.MIN_VALUE;
    private long lastFlushMicros;
    private long lastMicros;
    private long bytesWritten;
    private boolean closed;

    private FlvRecordingWriter(Path target, List<Track> tracks, Mp4WriterConfig config, FileChannelFactory channels,
            ByteBufAllocator alloc) {
        this.target = target;
        this.part = target.resolveSibling(target.getFileName() + Mp4RecordingWriter.PART_SUFFIX);
        this.tracks = List.copyOf(tracks);
        this.config = config;
        this.channels = channels;
        this.alloc = alloc;
        this.flushMicros = config.fragmentDuration().toNanos() / 1000;
    }

    /**
     * Creates {@code <target>.part} (and its parent directories) and writes the FLV header and
     * the tracks' sequence headers.
     *
     * @throws IllegalArgumentException when {@code tracks} is empty
     * @throws IOException when the file cannot be created or written; nothing is left open
     */
    public static FlvRecordingWriter open(Path target, List<Track> tracks, Mp4WriterConfig config,
            FileChannelFactory channels, ByteBufAllocator alloc) throws IOException {
        Objects.requireNonNull(target, "target");
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("no tracks");
        }
        FlvRecordingWriter w = new FlvRecordingWriter(target, tracks, config, channels, alloc);
        Path parent = w.part.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean audio = tracks.stream().anyMatch(t -> t.kind() == TrackKind.AUDIO);
        boolean video = tracks.stream().anyMatch(t -> t.kind() == TrackKind.VIDEO);
        w.pending = alloc.compositeBuffer(Integer.MAX_VALUE);
        try {
            ByteBuf head = alloc.buffer(FlvHeader.LENGTH_WITH_PREVIOUS_TAG_SIZE);
            new FlvHeader(audio, video).write(head);
            w.pending.addComponent(true, head);
            for (Track t : tracks) {
                ByteBuf body = FlvMediaEncoder.encodeSequenceHeader(t, alloc);
                if (body != null) {
                    try {
                        w.pending.addComponent(true, FlvTagEncoder.encode(alloc, FlvMediaEncoder.tagType(t), 0, body));
                    } finally {
                        body.release();
                    }
                }
            }
            w.channel = channels.open(w.part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            w.flush();
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    @Override
    public Path partPath() {
        return part;
    }

    @Override
    public Path target() {
        return target;
    }

    @Override
    public List<Track> tracks() {
        return tracks;
    }

    @Override
    public void write(MediaFrame frame) throws IOException {
        if (closed) {
            throw new IOException("writer of " + part + " is closed");
        }
        if (!hasTrack(frame.track())) {
            return;
        }
        Timebase tb = frame.track().timebase();
        long micros = tb.rescale(frame.dts(), MICROS);
        if (originMicros == Long.MIN_VALUE) {
            originMicros = micros;
        }
        long relative = micros - originMicros;
        if (relative < 0) {
            return;
        }
        long shift = MICROS.rescale(originMicros, tb);
        MediaFrame shifted = frame.retainedDuplicate().withTimestamps(frame.dts() - shift, frame.pts() - shift);
        try {
            pending.addComponent(true, FlvMediaEncoder.encodeTag(shifted, alloc));
        } catch (IllegalArgumentException | MalformedMediaException e) {
            return; // a frame FLV cannot carry (a composition time beyond 24 bits): skipped, the recording goes on
        } finally {
            shifted.release();
        }
        lastMicros = Math.max(lastMicros, relative);
        if (relative - lastFlushMicros >= flushMicros || pending.readableBytes() >= config.maxFragmentBytes()) {
            flush();
            lastFlushMicros = relative;
        }
    }

    @Override
    public Path end() throws IOException {
        try {
            if (closed) {
                throw new IOException("writer of " + part + " is closed");
            }
            flush();
        } finally {
            close();
        }
        return part;
    }

    /** Cuts an incomplete last tag off the ended file and renames it onto the target. */
    @Override
    public RecordingResult finishEnded() throws IOException {
        return finish(part, target, channels);
    }

    /**
     * Finishes an FLV {@code .part} file as {@code target}: cuts it after its last complete tag
     * and renames it (atomically where the file system can).
     *
     * @throws io.livehub.mp4.internal.MalformedFileException when the file is not FLV
     */
    public static RecordingResult finish(Path part, Path target, FileChannelFactory channels) throws IOException {
        long valid;
        long first = -1;
        long last = 0;
        try (FileChannel ch = channels.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(FlvTagDecoder.TAG_HEADER_LENGTH);
            if (size < FlvHeader.LENGTH_WITH_PREVIOUS_TAG_SIZE || ch.read(h, 0) < 3 || h.get(0) != 'F' || h.get(1) != 'L'
                    || h.get(2) != 'V') {
                throw new io.livehub.mp4.internal.MalformedFileException("not an FLV file");
            }
            long pos = FlvHeader.LENGTH_WITH_PREVIOUS_TAG_SIZE;
            valid = pos;
            while (size - pos >= FlvTagDecoder.TAG_HEADER_LENGTH) {
                h.clear();
                while (h.hasRemaining() && ch.read(h, pos + h.position()) > 0) {
                    // reads the 11-byte tag header
                }
                int dataSize = ((h.get(1) & 0xFF) << 16) | ((h.get(2) & 0xFF) << 8) | (h.get(3) & 0xFF);
                long end = pos + FlvTagDecoder.TAG_HEADER_LENGTH + dataSize + FlvTagDecoder.PREVIOUS_TAG_SIZE_LENGTH;
                if (end > size) {
                    break;
                }
                long ts = ((h.get(7) & 0xFFL) << 24) | ((h.get(4) & 0xFF) << 16) | ((h.get(5) & 0xFF) << 8) | (h.get(6) & 0xFF);
                if (dataSize > 0 && (h.get(0) & 0x1F) != 18) {
                    first = first < 0 ? ts : Math.min(first, ts);
                    last = Math.max(last, ts);
                }
                pos = end;
                valid = end;
            }
            if (valid < size) {
                ch.truncate(valid);
            }
            ch.force(true);
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return new RecordingResult(target, Duration.ofMillis(first < 0 ? 0 : last - first), Files.size(target));
    }

    @Override
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public Duration duration() {
        return Duration.ofNanos(lastMicros * 1000);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pending != null) {
            pending.release();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // recovery reads what is there
            }
        }
    }

    private void flush() throws IOException {
        if (pending.readableBytes() == 0) {
            return;
        }
        ByteBuffer[] buffers = pending.nioBuffers();
        long remaining = pending.readableBytes();
        while (remaining > 0) {
            long n = channel.write(buffers);
            if (n <= 0) {
                throw new IOException("write to " + part + " made no progress");
            }
            remaining -= n;
            bytesWritten += n;
        }
        pending.removeComponents(0, pending.numComponents());
        pending.clear();
        if (config.syncEachFragment()) {
            channel.force(false);
        }
    }
}

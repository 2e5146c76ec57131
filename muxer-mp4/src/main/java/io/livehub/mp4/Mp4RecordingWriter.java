package io.livehub.mp4;

import io.livehub.isobmff.Fragment;
import io.livehub.isobmff.FragmentBuilder;
import io.livehub.isobmff.InitSegmentEncoder;
import io.livehub.isobmff.IsoTrack;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Writes one recording as an MP4 file that survives a crash (ISO/IEC 14496-12 §8.8).
 *
 * <p>While recording the file is a fragmented MP4 named {@code <target>.part}: {@code ftyp} and
 * {@code moov} (with {@code mvex}) first, then one {@code moof} + {@code mdat} per fragment,
 * each written (and optionally forced, {@link Mp4WriterConfig#syncEachFragment}) as soon as it
 * is complete. Fragments are cut after {@link Mp4WriterConfig#fragmentDuration}, at the next
 * video keyframe when the file has video. A killed process leaves a file that plays up to its
 * last complete fragment; {@link Mp4Recovery} finishes it at the next start.
 *
 * <p>{@link #finish} writes what is left and rewrites the file as a progressive MP4 with the
 * {@code moov} before the {@code mdat} ({@link Mp4Finisher}), beside the target as
 * {@code <target>.tmp}, renamed into place; or, with
 * {@link Mp4WriterConfig#keepFragmented}, renames the fragmented file into place.
 *
 * <p>Timing: every track shares one origin, the decode time of the first frame written, so the
 * audio/video offset of the source is kept; frames decoded before it (audio that came just
 * before the first keyframe) are left out and counted. Composition offsets (B-frames) are
 * written per sample.
 *
 * <p>Ownership: {@link #write} borrows the frame. Thread-safety: not thread-safe; one thread
 * (a recording's file thread) uses a writer.
 */
public final class Mp4RecordingWriter implements RecordingWriter {

    /** Suffix of a recording's file while it is written: the marker {@link Mp4Recovery} looks for. */
    public static final String PART_SUFFIX = ".part";

    private static final Timebase MICROS = new Timebase(1, 1_000_000);

    private final Path target;
    private final Path part;
    private final List<Track> tracks;
    private final Mp4WriterConfig config;
    private final FileChannelFactory channels;
    private final ByteBufAllocator alloc;
    private final boolean hasVideo;
    private final long fragmentMicros;
    private FileChannel channel;
    private FragmentBuilder builder;
    private long originMicros = Long.MIN_VALUE;
    private long fragmentStartMicros;
    private long fragmentBytes;
    private long lastMicros;
    private long bytesWritten;
    private long framesWritten;
    private long framesSkipped;
    private boolean closed;

    private Mp4RecordingWriter(Path target, List<Track> tracks, Mp4WriterConfig config, FileChannelFactory channels,
            ByteBufAllocator alloc) {
        this.target = target;
        this.part = target.resolveSibling(target.getFileName() + PART_SUFFIX);
        this.tracks = List.copyOf(tracks);
        this.config = config;
        this.channels = channels;
        this.alloc = alloc;
        this.hasVideo = tracks.stream().anyMatch(t -> t.kind() == TrackKind.VIDEO);
        this.fragmentMicros = config.fragmentDuration().toNanos() / 1000;
    }

    /**
     * Creates {@code <target>.part} (and its parent directories) and writes the {@code ftyp} and
     * {@code moov} of {@code tracks}, in list order with {@code track_ID}s 1, 2, ...
     *
     * @throws IllegalArgumentException when a track cannot be carried in MP4 (see {@link IsoTrack})
     * @throws IOException when the file cannot be created or written; nothing is left open
     */
    public static Mp4RecordingWriter open(Path target, List<Track> tracks, Mp4WriterConfig config,
            FileChannelFactory channels, ByteBufAllocator alloc) throws IOException {
        Objects.requireNonNull(target, "target");
        List<IsoTrack> iso = IsoTrack.of(tracks);
        Mp4RecordingWriter w = new Mp4RecordingWriter(target, tracks, Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(channels, "channels"), alloc);
        Path parent = w.part.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ByteBuf init = InitSegmentEncoder.encode(iso, alloc);
        try {
            w.channel = channels.open(w.part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            w.builder = new FragmentBuilder(iso);
            w.writeFully(init);
            w.sync();
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        } finally {
            init.release();
        }
        return w;
    }

    @Override
    public Path partPath() {
        return part;
    }

    /** Finishes the ended file with {@link Mp4Finisher}, progressive unless {@link Mp4WriterConfig#keepFragmented}. */
    @Override
    public RecordingResult finishEnded() throws IOException {
        return Mp4Finisher.finish(part, target, config.keepFragmented(), channels, alloc);
    }

    @Override
    public Path target() {
        return target;
    }

    @Override
    public List<Track> tracks() {
        return tracks;
    }

    /**
     * Adds a frame and writes a fragment when one is complete. A frame of a track the file does
     * not have, decoded before the file's origin, or that MP4 cannot carry (a composition offset
     * beyond 32 bits, a malformed AV1 header) is skipped and counted.
     *
     * <p>Ownership: {@code frame} is borrowed.
     *
     * @throws IllegalArgumentException when the frame's track changed its configuration
     *     ({@link #accepts}); the writer is unchanged
     * @throws IOException when writing fails; the writer can only be {@link #close}d then
     */
    @Override
    public void write(MediaFrame frame) throws IOException {
        if (closed) {
            throw new IOException("writer of " + part + " is closed");
        }
        if (!hasTrack(frame.track())) {
            framesSkipped++;
            return;
        }
        if (!accepts(frame.track())) {
            throw new IllegalArgumentException("track " + frame.track().id() + " changed its configuration; "
                    + "it needs a new file: " + frame.track());
        }
        Timebase tb = frame.track().timebase();
        long micros = tb.rescale(frame.dts(), MICROS);
        if (originMicros == Long.MIN_VALUE) {
            originMicros = micros;
            fragmentStartMicros = 0;
        }
        long relative = micros - originMicros;
        if (relative < 0) {
            framesSkipped++;
            return;
        }
        boolean cut = relative - fragmentStartMicros >= fragmentMicros && (!hasVideo || frame.isVideo() && frame.isKeyframe())
                || fragmentBytes >= config.maxFragmentBytes();
        long shift = MICROS.rescale(originMicros, tb);
        MediaFrame shifted = frame.retainedDuplicate().withTimestamps(frame.dts() - shift, frame.pts() - shift);
        try {
            builder.add(shifted);
        } catch (IllegalArgumentException | MalformedMediaException e) {
            // A frame whose times do not fit (a composition offset beyond 32 bits) or whose
            // AV1 header is malformed: one bad frame does not end the recording.
            framesSkipped++;
            return;
        } finally {
            shifted.release();
        }
        framesWritten++;
        lastMicros = Math.max(lastMicros, relative);
        fragmentBytes += frame.content().readableBytes();
        if (cut) {
            // The frame just added is held back and opens the next fragment.
            writeFragment(builder.flush(alloc));
            fragmentStartMicros = relative;
            fragmentBytes = frame.content().readableBytes();
        }
    }

    /**
     * Writes the frames still held, closes the file and finishes it as a progressive MP4 (or
     * renames the fragmented file, see {@link Mp4WriterConfig#keepFragmented}).
     *
     * @throws IOException when writing or finishing fails; the {@code .part} file is left for
     *     {@link Mp4Recovery}, and the writer is closed
     */
    public RecordingResult finish() throws IOException {
        end();
        return Mp4Finisher.finish(part, target, config.keepFragmented(), channels, alloc);
    }

    /**
     * Writes the frames still held and closes the fragmented file, for a caller that finishes
     * it elsewhere ({@link Mp4Finisher}, for example on another thread).
     *
     * @return the fragmented file, {@link #partPath()}
     * @throws IOException when writing fails; the writer is closed either way
     */
    @Override
    public Path end() throws IOException {
        try {
            if (closed) {
                throw new IOException("writer of " + part + " is closed");
            }
            writeFragment(builder.flushAll(alloc));
            sync();
        } finally {
            close();
        }
        return part;
    }

    @Override
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public Duration duration() {
        return Duration.ofNanos(lastMicros * 1000);
    }

    /** Returns how many frames were added. */
    public long framesWritten() {
        return framesWritten;
    }

    /** Returns how many frames were left out: of a track the file lacks, or before the origin. */
    public long framesSkipped() {
        return framesSkipped;
    }

    /**
     * Releases the held frames and closes the file without finishing it; the {@code .part}
     * file stays as it is, complete up to its last fragment. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (builder != null) {
            builder.close();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more can be done about a file that does not close; recovery reads it
            }
        }
    }

    private void writeFragment(Fragment f) throws IOException {
        if (f == null) {
            return;
        }
        try {
            writeFully(f.content());
        } finally {
            f.release();
        }
        sync();
    }

    private void sync() throws IOException {
        if (config.syncEachFragment()) {
            channel.force(false);
        }
    }

    /** Writes all readable bytes of {@code buf} with gathering writes; borrows it. */
    private void writeFully(ByteBuf buf) throws IOException {
        ByteBuffer[] buffers = buf.nioBuffers();
        long remaining = buf.readableBytes();
        while (remaining > 0) {
            long n = channel.write(buffers);
            if (n <= 0 && remaining > 0) {
                // A channel that takes nothing would spin; a full disk throws instead.
                throw new IOException("write to " + part + " made no progress");
            }
            remaining -= n;
            bytesWritten += n;
        }
    }
}

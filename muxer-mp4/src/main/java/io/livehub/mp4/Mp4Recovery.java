package io.livehub.mp4;

import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes the recordings a previous process left unfinished: every {@code *.part} file
 * ({@link Mp4RecordingWriter#PART_SUFFIX}) under a record root is cut after its last complete
 * fragment and finished as a clean end would ({@link Mp4Finisher}; a {@code .flv.part} is cut
 * after its last complete tag, {@link FlvRecordingWriter#finish}). A {@code .tmp} beside a
 * {@code .part} (a finish that was interrupted) is deleted first, as it is rewritten.
 *
 * <p>A recorder may keep what it knows of a recording (stream, record id, ...) in a sidecar
 * {@code <part>.properties} ({@link #METADATA_SUFFIX}); it is read, handed back, and deleted
 * with the {@code .part}.
 *
 * <p>Thread-safety: stateless; do not run it on a root a live recorder is writing to, whose
 * open files it would finish under the writer.
 */
public final class Mp4Recovery {

    /** Suffix of a recording's sidecar metadata, after the {@code .part} file's name. */
    public static final String METADATA_SUFFIX = ".properties";

    /** How deep under the root recovery looks; path templates nest a few directories, not more. */
    public static final int MAX_DEPTH = 16;

    private static final Logger log = LoggerFactory.getLogger(Mp4Recovery.class);

    /**
     * Describes one recovered recording.
     *
     * @param part the unfinished file found
     * @param result the finished file, or null when it could not be finished
     * @param metadata the sidecar's entries, empty when there was none
     * @param error why it could not be finished, or null
     */
    public record Recovered(Path part, RecordingResult result, Map<String, String> metadata, Exception error) {
    }

    private Mp4Recovery() {
    }

    /**
     * Finishes every {@code .part} file under {@code root}. A file that cannot be finished is
     * left in place (renamed to {@code .part.bad} when it is not an MP4 this module reads, so
     * it is not tried at every start) and reported with its error.
     *
     * @return one entry per file found, in path order; empty when {@code root} does not exist
     */
    public static List<Recovered> recover(Path root, boolean keepFragmented, FileChannelFactory channels,
            ByteBufAllocator alloc) throws IOException {
        List<Recovered> out = new ArrayList<>();
        for (Path part : find(root)) {
            out.add(recoverFile(part, keepFragmented, channels, alloc));
        }
        return out;
    }

    /**
     * Returns the unfinished files ({@code *.part}) under {@code root}, in path order; empty when
     * it does not exist. A recorder takes this list before it starts recording, so its own new
     * files are not among them, and may then finish them one by one, in the background.
     */
    public static List<Path> find(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> parts = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root, MAX_DEPTH)) {
            s.filter(p -> p.getFileName().toString().endsWith(Mp4RecordingWriter.PART_SUFFIX))
                    .filter(Files::isRegularFile)
                    .forEach(parts::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Collections.sort(parts);
        return parts;
    }

    /**
     * Finishes one unfinished file; see the class notes. A file that cannot be finished is left
     * in place (renamed to {@code .part.bad} when it is not a file this module reads) and
     * reported with its error.
     */
    public static Recovered recoverFile(Path part, boolean keepFragmented, FileChannelFactory channels,
            ByteBufAllocator alloc) {
        return recoverOne(part, keepFragmented, channels, alloc);
    }

    private static Recovered recoverOne(Path part, boolean keepFragmented, FileChannelFactory channels,
            ByteBufAllocator alloc) {
        String name = part.getFileName().toString();
        Path target = part.resolveSibling(name.substring(0, name.length() - Mp4RecordingWriter.PART_SUFFIX.length()));
        Path sidecar = part.resolveSibling(name + METADATA_SUFFIX);
        Map<String, String> meta = readMetadata(sidecar);
        try {
            Files.deleteIfExists(target.resolveSibling(target.getFileName() + Mp4Finisher.TMP_SUFFIX));
            RecordingResult r = target.getFileName().toString().endsWith(".flv")
                    ? FlvRecordingWriter.finish(part, target, channels)
                    : Mp4Finisher.finish(part, target, keepFragmented, channels, alloc);
            Files.deleteIfExists(sidecar);
            log.info("recovered unfinished recording {}: {} s, {} bytes", target, r.duration().toMillis() / 1000.0, r.size());
            return new Recovered(part, r, meta, null);
        } catch (io.livehub.mp4.internal.MalformedFileException e) {
            log.warn("cannot recover {}: {}; renamed to .bad", part, e.getMessage());
            try {
                Files.move(part, part.resolveSibling(name + ".bad"));
            } catch (IOException moveFailed) {
                e.addSuppressed(moveFailed);
            }
            return new Recovered(part, null, meta, e);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot recover {}: {}", part, e.toString());
            return new Recovered(part, null, meta, e);
        }
    }

    private static Map<String, String> readMetadata(Path sidecar) {
        if (!Files.isRegularFile(sidecar)) {
            return Map.of();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(sidecar)) {
            if (Files.size(sidecar) > 64 * 1024) {
                return Map.of(); // ours are a few hundred bytes; anything larger is not ours
            }
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("cannot read recording metadata {}: {}", sidecar, e.toString());
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return Map.copyOf(m);
    }
}

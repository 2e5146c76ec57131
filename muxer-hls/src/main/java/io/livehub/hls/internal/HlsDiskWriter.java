package io.livehub.hls.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the playlists and segments of every muxed stream under a root directory, like SRS's
 * {@code hls_path}: {@code root/{app}/{stream}.m3u8}, {@code root/{app}/{stream}-{seq}.ts} (or
 * {@code .m4s} and the {@code -init-{seq}.mp4} init segments); a nested app ({@code live/sub})
 * is a nested folder ({@code root/live/sub/}). Each file is written to a temporary
 * name in the same directory and renamed over the old one, so a reader (a web server, a
 * CDN origin) never sees half a file; segments that leave the playlist window are deleted, and
 * all of a stream's files when its muxer is released. A path that would leave the root,
 * whatever the stream name says, is refused.
 *
 * <p>The root belongs to this writer: at start it deletes what a previous run left there (after
 * a crash or a {@code kill -9}, playlists without {@code #EXT-X-ENDLIST} and their segments of
 * streams that may never be published again), that is every file named as this writer names
 * files (playlists, segments, init segments, temporary files) and the folders left empty; other
 * files stay. A stream published again writes its files anew.
 *
 * <p>The playlist on disk is the plain live playlist (no low-latency tags: parts are served
 * from memory only).
 *
 * <p>Thread-safety: all methods may be called from any thread; file work runs on one daemon
 * thread of its own, in call order, so a slow disk never stalls an event loop.
 *
 * <p>Ownership: {@link #update} takes retained duplicates of the bytes it writes on the
 * caller's thread and releases them after writing (also when writing fails).
 */
public final class HlsDiskWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsDiskWriter.class);

    private final Path root;
    private final ExecutorService io;
    // Confined to the io thread: what is on disk per stream directory + name.
    private final Map<String, Set<String>> written = new HashMap<>();

    /** Names of the files this writer makes: playlists, segments, init segments, temporary files. */
    private static final java.util.regex.Pattern OWN_FILE = java.util.regex.Pattern.compile(
            ".+\\.m3u8|.+-\\d+\\.(ts|m4s)|.+-init(-\\d+)*\\.mp4|\\..+\\.tmp");
    /** How deep the start-up clean-up looks: app folders nest, but not without end. */
    private static final int MAX_CLEAN_DEPTH = 16;

    /**
     * Makes a writer under {@code root}, which is created when missing; its first task deletes
     * what a previous run left under the root (see the class notes).
     */
    public HlsDiskWriter(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "livehub-hls-disk");
            t.setDaemon(true);
            return t;
        });
        io.execute(this::removeLeftovers);
    }

    /** Deletes the files a previous run left (before any stream writes: this is the first task). */
    private void removeLeftovers() {
        if (!Files.isDirectory(root)) {
            return;
        }
        int[] removed = {0};
        List<Path> dirs = new ArrayList<>();
        try (java.util.stream.Stream<Path> all = Files.walk(root, MAX_CLEAN_DEPTH)) {
            all.forEach(p -> {
                if (p.equals(root)) {
                    return;
                }
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(p);
                } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && OWN_FILE.matcher(p.getFileName().toString()).matches()) {
                    delete(p);
                    removed[0]++;
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("HLS: cannot clean {}: {}", root, e.toString());
        }
        // Deepest first, so a folder whose sub-folders were emptied goes too; a folder with other files stays.
        dirs.sort(java.util.Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path d : dirs) {
            try (java.util.stream.Stream<Path> in = Files.list(d)) {
                if (in.findAny().isEmpty()) {
                    Files.delete(d);
                }
            } catch (IOException e) {
                // in use or not ours: leave it
            }
        }
        if (removed[0] > 0) {
            log.info("HLS: removed {} files a previous run left under {}", removed[0], root);
        }
    }

    /**
     * Returns the file {@code name} in the directory of {@code app} under {@code root}
     * ({@code root/live/name}, for a nested app {@code root/live/sub/name}), or null when that
     * would not be a plain file inside that directory: each part of the app and the name must be
     * a plain name (no separator, {@code .} or {@code ..}, NUL or control character), so nothing
     * leaves the root.
     */
    public static Path resolve(Path root, String app, String name) {
        if (app == null || !plain(name)) {
            return null;
        }
        String[] parts = app.split("/", -1);
        Path base = root.toAbsolutePath().normalize();
        Path dir = base;
        for (String part : parts) {
            if (!plain(part)) {
                return null;
            }
            dir = dir.resolve(part);
        }
        dir = dir.normalize();
        Path file = dir.resolve(name).normalize();
        if (dir.getNameCount() != base.getNameCount() + parts.length || !dir.startsWith(base)
                || !file.getParent().equals(dir)) {
            return null;
        }
        return file;
    }

    private static boolean plain(String s) {
        if (s == null || s.isEmpty() || s.equals(".") || s.equals("..") || s.length() > 255) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '/' || c == '\\' || c == ':') {
                return false;
            }
        }
        return true;
    }

    /** Returns the playlist file of a stream, or null when its names are refused. */
    public Path playlistFile(String app, String stream) {
        return resolve(root, app, stream + ".m3u8");
    }

    /** Returns the file of a segment or init segment {@code uri} of {@code app}, or null. */
    public Path file(String app, String uri) {
        return resolve(root, app, uri);
    }

    /**
     * Writes the segments and init segments of {@code p}'s window that are not on disk yet, then
     * the playlist, then deletes the segments no longer listed. {@code written} is told of each
     * segment file written, on the disk thread.
     */
    public void update(String app, String stream, HlsPlaylist p, BiConsumer<HlsSegment, Path> segmentWritten) {
        Path playlist = playlistFile(app, stream);
        if (playlist == null) {
            log.warn("HLS: not writing {}/{} to disk: the name would leave {}", app, stream, root);
            return;
        }
        String key = app + "/" + stream;
        List<Pending> files = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        try {
            for (HlsSegment s : p.window()) {
                listed.add(s.uri());
                if (s.mapUri() != null && listed.add(s.mapUri())) {
                    SharedBuffer init = p.init(s.mapUri());
                    ByteBuf b = init == null ? null : init.retainedDuplicate();
                    if (b != null) {
                        files.add(new Pending(s.mapUri(), b, null));
                    }
                }
                ByteBuf b = s.content() == null ? null : s.content().retainedDuplicate();
                if (b != null) {
                    files.add(new Pending(s.uri(), b, s));
                }
            }
            byte[] text = p.plainText();
            List<Pending> work = List.copyOf(files);
            io.execute(() -> write(key, app, playlist, work, text, listed, segmentWritten));
            files.clear(); // now owned by the disk thread
        } catch (RejectedExecutionException e) {
            // closed: released below
        } finally {
            for (Pending f : files) {
                f.bytes.release();
            }
        }
    }

    /** Deletes every file of a stream (its muxer was released). */
    public void remove(String app, String stream) {
        Path playlist = playlistFile(app, stream);
        if (playlist == null) {
            return;
        }
        try {
            io.execute(() -> {
                Set<String> files = written.remove(app + "/" + stream);
                if (files != null) {
                    for (String f : files) {
                        delete(resolve(root, app, f));
                    }
                }
                delete(playlist);
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private record Pending(String uri, ByteBuf bytes, HlsSegment segment) {
    }

    private void write(String key, String app, Path playlist, List<Pending> work, byte[] text, Set<String> listed,
                       BiConsumer<HlsSegment, Path> segmentWritten) {
        Set<String> onDisk = written.computeIfAbsent(key, k -> new LinkedHashSet<>());
        try {
            Files.createDirectories(playlist.getParent());
            for (Pending f : work) {
                Path file = resolve(root, app, f.uri);
                if (file == null || onDisk.contains(f.uri)) {
                    continue;
                }
                ByteBuf b = f.bytes;
                ByteBuffer[] nio = b.nioBuffers(b.readerIndex(), b.readableBytes());
                writeAtomically(file, nio);
                onDisk.add(f.uri);
                if (f.segment != null && segmentWritten != null) {
                    segmentWritten.accept(f.segment, file);
                }
            }
            writeAtomically(playlist, new ByteBuffer[] {ByteBuffer.wrap(text)});
            for (String f : new ArrayList<>(onDisk)) {
                if (!listed.contains(f)) {
                    delete(resolve(root, app, f));
                    onDisk.remove(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("HLS: writing {} under {} failed: {}", key, root, e.toString());
        } finally {
            for (Pending f : work) {
                f.bytes.release();
            }
        }
    }

    private static void writeAtomically(Path file, ByteBuffer[] data) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long left = 0;
            for (ByteBuffer b : data) {
                left += b.remaining();
            }
            while (left > 0) {
                left -= ch.write(data);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("HLS: cannot delete {}: {}", file, e.toString());
        }
    }

    /** Finishes the queued file work (up to 10 s) and stops the disk thread. */
    @Override
    public void close() {
        io.shutdown();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the root directory. */
    public Path root() {
        return root;
    }
}

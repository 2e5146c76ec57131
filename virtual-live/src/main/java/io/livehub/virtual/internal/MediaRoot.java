package io.livehub.virtual.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves a file named by a caller (an API request, a configuration line) inside the media
 * root, so that nothing outside the root is ever opened: {@code ..}, absolute paths elsewhere
 * and symbolic links out of the root are refused (ARCHITECTURE.md section 6).
 *
 * <p>Thread-safety: immutable.
 */
public final class MediaRoot {

    private final Path root;

    /**
     * @throws IOException when the root does not exist or is not a directory
     */
    public MediaRoot(Path root) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new IOException("media root " + root + " is not a directory");
        }
        this.root = real;
    }

    public Path path() {
        return root;
    }

    /**
     * Returns the real path of {@code relative} under the root.
     *
     * @throws IllegalArgumentException when the name is empty, has a NUL or control character,
     *     or resolves (through {@code ..} or a link) outside the root, or is not a regular file
     */
    public Path resolve(String relative) {
        if (relative == null || relative.isEmpty()) {
            throw new IllegalArgumentException("no file named");
        }
        for (int i = 0; i < relative.length(); i++) {
            if (relative.charAt(i) < 0x20 || relative.charAt(i) == 0x7F) {
                throw new IllegalArgumentException("file name has a control character");
            }
        }
        Path real;
        try {
            Path p = root.resolve(relative).normalize();
            if (!p.startsWith(root)) {
                throw new IllegalArgumentException("file '" + relative + "' is outside the media root");
            }
            real = p.toRealPath();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("file '" + relative + "' not found in the media root");
        }
        // toRealPath follows links: a link inside the root that points out of it ends here.
        if (!real.startsWith(root)) {
            throw new IllegalArgumentException("file '" + relative + "' is outside the media root");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("'" + relative + "' is not a regular file");
        }
        return real;
    }
}

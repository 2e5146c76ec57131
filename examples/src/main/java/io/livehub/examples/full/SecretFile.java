package io.livehub.examples.full;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Keeps the full server's generated publish secret in {@code DATA_DIR/secret}: made once, with
 * 128 random bits as 32 hex characters, readable and writable by the owner only (mode 600),
 * and reused on every later start so that encoders keep working.
 *
 * <p>Thread-safety: stateless; meant for one server process per data directory.
 */
final class SecretFile {

    static final String NAME = "secret";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFile() {
    }

    /** What {@link #loadOrCreate} found: the secret and whether it was made just now. */
    record Result(String secret, boolean created, Path file) {
    }

    /**
     * Returns the secret kept in {@code dir}, creating the file with a new secret when it is
     * missing or empty.
     */
    static Result loadOrCreate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(NAME);
        String existing = read(file);
        if (existing != null && !existing.isEmpty()) {
            tighten(file);
            return new Result(existing, false, file);
        }
        byte[] bits = new byte[16];
        new SecureRandom().nextBytes(bits);
        String secret = HexFormat.of().formatHex(bits);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // An empty file, say from an interrupted first start: it is filled below.
            tighten(file);
        }
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        return new Result(secret, true, file);
    }

    private static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    private static void tighten(Path file) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system; its own access rules apply.
        }
    }
}

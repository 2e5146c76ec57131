package io.livehub.mp4;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the files a recording writes. The default opens them with {@link FileChannel#open}; a
 * test or an application substitutes its own to count writes, to inject a full disk, or to put
 * recordings on another file system provider.
 *
 * <p>Thread-safety: implementations are called from the recording threads and must be
 * thread-safe.
 */
@FunctionalInterface
public interface FileChannelFactory {

    /** Opens files with {@link FileChannel#open(Path, OpenOption...)}. */
    FileChannelFactory DEFAULT = FileChannel::open;

    /** Opens {@code path} with {@code options}, as {@link FileChannel#open(Path, OpenOption...)} does. */
    FileChannel open(Path path, OpenOption... options) throws IOException;
}

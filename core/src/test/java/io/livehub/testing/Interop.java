package io.livehub.testing;

import java.io.File;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the external programs that interop tests run (ffmpeg, ffprobe, rtmpdump,
 * gst-launch-1.0, ...). Locally a missing program skips the test; with
 * {@code -Dlivehub.interop.required=true} (as CI runs) it fails the test instead.
 */
public final class Interop {

    private Interop() {
    }

    /** Returns the program's absolute path, or skips/fails the test when it is missing. */
    public static String require(String program) {
        String path = find(program);
        if (path == null) {
            String msg = program + " is not installed (on PATH)";
            if (Boolean.getBoolean("livehub.interop.required")) {
                throw new AssertionError(msg + ", and interop tests are required");
            }
            Assumptions.abort(msg + "; skipping interop test");
        }
        return path;
    }

    /**
     * Returns the program's absolute path on PATH, or in {@code /usr/sbin} and {@code /sbin}
     * (where Debian puts servers such as nginx, outside a normal user's PATH), or null.
     */
    public static String find(String program) {
        String pathEnv = System.getenv("PATH");
        String dirs = (pathEnv == null ? "" : pathEnv + File.pathSeparator) + "/usr/sbin" + File.pathSeparator + "/sbin";
        for (String dir : dirs.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            File f = new File(dir, program);
            if (f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}

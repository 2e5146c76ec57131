package io.livehub.mp4;

/**
 * The {@link io.livehub.event.RecordEndEvent#artifactCode()} values a recorder reports (SRS
 * Stack {@code artifact_code}): 0 for a recording that ended cleanly, else why it did not.
 */
public final class ArtifactCode {

    /** The recording ended cleanly and its file is complete. */
    public static final int OK = 0;
    /**
     * Writing failed (a full disk, an I/O error): the recording stopped there. The file holds
     * what was written up to the last complete fragment, finished when that was possible; the
     * path may name the unfinished {@code .part} file otherwise.
     */
    public static final int WRITE_FAILED = 1;
    /** The recording ended but its progressive file could not be written; the path names the fragmented file. */
    public static final int FINISH_FAILED = 2;
    /**
     * The process ended while recording (a crash, a kill); the file was found unfinished at the
     * next start and finished up to its last complete fragment.
     */
    public static final int RECOVERED = 3;

    private ArtifactCode() {
    }
}

package io.livehub.mp4;

/** Says which container a recording is written in. */
public enum RecordFormat {
    /** MP4: fragmented while recording, finished as a fast-start progressive file ({@link Mp4RecordingWriter}). */
    MP4("mp4"),
    /** FLV: written as it comes, only renamed at the end ({@link FlvRecordingWriter}); cheaper, fewer players. */
    FLV("flv");

    private final String extension;

    RecordFormat(String extension) {
        this.extension = extension;
    }

    /** Returns the file name extension, without the dot. */
    public String extension() {
        return extension;
    }
}

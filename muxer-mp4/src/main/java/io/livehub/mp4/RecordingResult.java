package io.livehub.mp4;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Describes a finished recording file.
 *
 * @param path the finished file
 * @param duration the media duration of the file
 * @param size the file's size in bytes
 */
public record RecordingResult(Path path, Duration duration, long size) {
}

package io.livehub.push.internal;

import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the tracks a task sends from its variant names: {@code video}, {@code audio},
 * {@code data}, a codec name ({@code h264}, {@code aac}, ...) or a track id; with none, the
 * first video and the first audio track seen in a publication.
 *
 * <p>Thread-safety: confined to the task's event loop.
 */
final class TrackSelector {

    private final List<String> names;
    private int videoId = -1;
    private int audioId = -1;

    TrackSelector(List<String> variantNames) {
        this.names = variantNames.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /** Forgets the tracks seen, for a new publication. */
    void reset() {
        videoId = -1;
        audioId = -1;
    }

    boolean accepts(Track t) {
        if (names.isEmpty()) {
            if (t.kind() == TrackKind.VIDEO) {
                if (videoId < 0) {
                    videoId = t.id();
                }
                return videoId == t.id();
            }
            if (t.kind() == TrackKind.AUDIO) {
                if (audioId < 0) {
                    audioId = t.id();
                }
                return audioId == t.id();
            }
            return false;
        }
        String kind = t.kind().name().toLowerCase(Locale.ROOT);
        String codec = t.codec().name().toLowerCase(Locale.ROOT);
        String id = Integer.toString(t.id());
        for (String n : names) {
            if (n.equals(kind) || n.equals(codec) || n.equals(id)) {
                return true;
            }
        }
        return false;
    }
}

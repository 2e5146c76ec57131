package io.livehub.examples.full;

import io.livehub.media.StreamKey;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The full example server's virtual live options: files of the media folder played as live
 * streams, looped forever, from the start (SRS Stack's virtual live events).
 *
 * @param mediaDir {@code --media-dir=DIR}, {@code LIVEHUB_MEDIA_DIR}: the folder files are
 *                 played from, nothing outside it; null means {@code DATA_DIR/media}
 * @param streams  {@code --virtual=app/name=file,...}, {@code LIVEHUB_VIRTUAL}: each stream and
 *                 its file, relative to the media folder; default none
 */
public record VirtualOptions(Path mediaDir, Map<StreamKey, String> streams) {

    public VirtualOptions {
        streams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(streams));
    }

    /** Returns whether {@code name} (without the leading {@code --}) is one of these flags. */
    static boolean isFlag(String name) {
        return name.equals("virtual") || name.equals("media-dir");
    }

    static final String USAGE = String.join("\n",
            "  Virtual live (files played as live streams, looped; HTTP API :startVirtual, :stopVirtual,",
            "  :virtuals under /v1/vhosts/default/apps/{app}, with LIVEHUB_API_TOKEN):",
            "  --virtual=S        app/name=file,... to play from the start (env LIVEHUB_VIRTUAL)",
            "  --media-dir=DIR    folder files are played from (env LIVEHUB_MEDIA_DIR, default",
            "                     DATA_DIR/media)");

    /**
     * Reads the options from {@code flags} (flag name without {@code --} to value) over
     * {@code env}.
     *
     * @throws IllegalArgumentException with a message for the user when a value is wrong
     */
    static VirtualOptions parse(Map<String, String> flags, Map<String, String> env) {
        String list = flags.getOrDefault("virtual", env.getOrDefault("LIVEHUB_VIRTUAL", ""));
        String dir = flags.getOrDefault("media-dir", env.get("LIVEHUB_MEDIA_DIR"));
        Map<StreamKey, String> streams = new LinkedHashMap<>();
        for (String item : list.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException("LIVEHUB_VIRTUAL: expected app/name=file, not '" + s + "'");
            }
            StreamKey key;
            try {
                key = StreamKey.parse(s.substring(0, eq).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("LIVEHUB_VIRTUAL: " + e.getMessage());
            }
            if (streams.put(key, s.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("LIVEHUB_VIRTUAL: " + key.path() + " is listed twice");
            }
        }
        return new VirtualOptions(dir == null || dir.isBlank() ? null : Path.of(dir.trim()), streams);
    }

    /** Returns the media folder: {@link #mediaDir()}, or {@code dataDir/media}. */
    public Path mediaDir(Path dataDir) {
        return mediaDir != null ? mediaDir : dataDir.resolve("media");
    }
}

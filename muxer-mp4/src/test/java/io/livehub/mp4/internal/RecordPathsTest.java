package io.livehub.mp4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.StreamKey;
import io.livehub.mp4.RecordConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks that a recording's path stays inside the record root whatever the stream is called. */
class RecordPathsTest {

    private static final Instant START = Instant.parse("2026-12-07T14:05:09.123Z");

    @TempDir
    Path root;

    private Path path(String template, String vhost, String app, String stream) {
        return RecordPaths.resolve(root, RecordPaths.expand(template, vhost, app, stream, START, ZoneOffset.UTC));
    }

    @Test
    void expandsEveryPlaceholder() {
        Path p = path("{vhost}/{app}/{stream}/{yyyy}/{MM}/{dd}/{HH}{mm}{ss}-{stream}-{timestamp}.mp4",
                "__defaultVhost__", "live", "cam1");
        assertEquals(root.resolve("__defaultVhost__/live/cam1/2026/12/07/140509-cam1-1796652309123.mp4"), p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../..", "../../etc/passwd", "/etc/passwd", "a/../../b", "a\0b", "..\\..\\x", ".hidden",
        "...", "a:b", "\u202Egnp.exe", "\u0007bell", "%2e%2e%2f", "C:\\Windows"})
    void hostileNamesStayInsideTheRoot(String name) {
        for (String template : new String[] {RecordConfig.DEFAULT_PATH_TEMPLATE,
            "{app}/{stream}/{yyyy}/{MM}/{dd}/{stream}-{timestamp}.mp4", "{vhost}/{app}-{stream}-{timestamp}.mp4"}) {
            Path p = path(template, name, name, name);
            assertTrue(p.startsWith(root), p::toString);
            assertEquals(p, p.normalize());
            String rel = root.relativize(p).toString();
            assertFalse(rel.contains("\0") || rel.contains("\\") || rel.contains(":"), rel);
            for (Path element : root.relativize(p)) {
                assertFalse(element.toString().startsWith("."), rel);
            }
        }
    }

    @Test
    void longAndUnicodeNamesAreCutToFitAPathElement() {
        String longName = "x".repeat(StreamKey.MAX_PART_LENGTH);
        Path p = path(RecordConfig.DEFAULT_PATH_TEMPLATE, "v", "live", longName);
        assertTrue(p.getFileName().toString().startsWith("x".repeat(64) + "-"), p::toString);
        String wide = "\uD83D\uDE00".repeat(200) + "日本語";
        Path u = path("{app}/{app}-{stream}-{timestamp}.mp4", "v", wide, wide);
        assertTrue(u.startsWith(root));
        for (Path element : root.relativize(u)) {
            assertTrue(element.toString().getBytes(StandardCharsets.UTF_8).length <= RecordPaths.MAX_ELEMENT_BYTES);
        }
    }

    @Test
    void aTakenNameGetsASuffix() throws Exception {
        Path first = path(RecordConfig.DEFAULT_PATH_TEMPLATE, "v", "live", "a");
        Files.createDirectories(first.getParent());
        Files.createFile(first);
        Path second = path(RecordConfig.DEFAULT_PATH_TEMPLATE, "v", "live", "a");
        assertEquals(first.resolveSibling("a-1796652309123-1.mp4"), second);
        Files.createFile(second.resolveSibling(second.getFileName() + ".part"));
        assertEquals(first.resolveSibling("a-1796652309123-2.mp4"), path(RecordConfig.DEFAULT_PATH_TEMPLATE, "v", "live", "a"));
    }

    @Test
    void aPathLeavingTheRootIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RecordPaths.resolve(root, "../x.mp4"));
        assertThrows(IllegalArgumentException.class, () -> RecordPaths.resolve(root, "/tmp/x.mp4"));
        assertThrows(IllegalArgumentException.class, () -> RecordPaths.resolve(root, "a/" + "y".repeat(300) + ".mp4"));
        assertThrows(IllegalArgumentException.class, () -> RecordConfig.builder(root).pathTemplate("../{stream}-{timestamp}.mp4"));
        assertThrows(IllegalArgumentException.class, () -> RecordConfig.builder(root).pathTemplate("{app}.mp4"));
    }

    @Test
    void urlsAreEncodedPerElement() {
        assertEquals("live/a%20b/c%23.mp4", RecordPaths.urlPath(root, root.resolve("live/a b/c#.mp4")));
    }
}

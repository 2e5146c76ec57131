package io.livehub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the version and commit from a jar's manifest as a built jar has them, and falls back without one. */
class BuildInfoTest {

    @TempDir
    Path dir;

    private Class<?> anchorFromJar(String version, String commit) throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (version != null) {
            mf.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        }
        mf.getMainAttributes().putValue("Livehub-Commit", commit);
        Path jar = dir.resolve("anchor-" + System.nanoTime() + ".jar");
        String entry = BuildInfoAnchor.class.getName().replace('.', '/') + ".class";
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf);
             InputStream in = BuildInfoAnchor.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        // No parent but the bootstrap loader, so the class and its package come from the jar.
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        return Class.forName(BuildInfoAnchor.class.getName(), false, loader);
    }

    @Test
    void readsVersionAndCommitFromTheManifest() throws Exception {
        Class<?> c = anchorFromJar("1.2.3-SNAPSHOT", "0123456789ab");
        assertEquals("1.2.3-SNAPSHOT", BuildInfo.version(c));
        assertEquals("0123456789ab", BuildInfo.commit(c));
    }

    @Test
    void buildOutsideGitLeavesNoCommit() throws Exception {
        Class<?> c = anchorFromJar(null, "${git.commit.id.abbrev}");
        assertEquals("dev", BuildInfo.version(c));
        assertEquals("unknown", BuildInfo.commit(c));
    }

    @Test
    void classesOutsideAJarAreDev() {
        // The tests run from target/classes: no manifest.
        assertEquals("dev", BuildInfo.version(MediaServer.class));
        assertEquals("unknown", BuildInfo.commit(MediaServer.class));
        assertEquals("dev", MediaServer.VERSION);
    }
}

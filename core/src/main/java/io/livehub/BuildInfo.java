package io.livehub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Manifest;

/**
 * Reads the version and commit the build wrote into the jar's manifest
 * ({@code Implementation-Version}, {@code Livehub-Commit}), so that the version has one
 * source: the Maven project version.
 *
 * <p>Thread-safety: stateless; {@link MediaServer}'s constants read the values once.
 */
final class BuildInfo {

    /** What {@link MediaServer#VERSION} says when the classes do not come from a built jar (an IDE, a test). */
    static final String DEV = "dev";
    static final String UNKNOWN = "unknown";

    private BuildInfo() {
    }

    /** Returns the {@code Implementation-Version} of the jar that holds {@code anchor}, or {@link #DEV}. */
    static String version(Class<?> anchor) {
        Package p = anchor.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return present(v) ? v : DEV;
    }

    /** Returns the {@code Livehub-Commit} of the jar that holds {@code anchor}, or {@link #UNKNOWN}. */
    static String commit(Class<?> anchor) {
        String c = manifestAttribute(anchor, "Livehub-Commit");
        return present(c) ? c : UNKNOWN;
    }

    /** A build outside git leaves the unresolved {@code ${...}} in the manifest: that is no value. */
    private static boolean present(String v) {
        return v != null && !v.isBlank() && !v.contains("${");
    }

    private static String manifestAttribute(Class<?> anchor, String name) {
        URL self = anchor.getResource(anchor.getSimpleName() + ".class");
        if (self == null || !self.getProtocol().equals("jar")) {
            return null;
        }
        String s = self.toString();
        int bang = s.lastIndexOf("!/");
        if (bang < 0) {
            return null;
        }
        try (InputStream in = new URL(s.substring(0, bang + 2) + "META-INF/MANIFEST.MF").openStream()) {
            return new Manifest(in).getMainAttributes().getValue(name);
        } catch (IOException e) {
            return null;
        }
    }
}

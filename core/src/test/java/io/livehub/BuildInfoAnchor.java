package io.livehub;

/** A class with no dependencies that {@link BuildInfoTest} copies into a jar and loads from there. */
public final class BuildInfoAnchor {
}

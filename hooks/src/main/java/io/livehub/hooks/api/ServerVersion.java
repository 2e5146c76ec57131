package io.livehub.hooks.api;

/**
 * Holds a server version split as SRS's {@code /api/v1/versions} reports it.
 *
 * <p>Thread-safety: immutable.
 *
 * @param major    the first number
 * @param minor    the second number, 0 when absent
 * @param revision the third number, 0 when absent
 * @param version  the version as written
 */
public record ServerVersion(int major, int minor, int revision, String version) {

    /**
     * Parses {@code 1.2.3} (a suffix such as {@code -SNAPSHOT} is kept in {@link #version()} and
     * ignored in the numbers).
     */
    public static ServerVersion parse(String version) {
        String[] parts = version.split("[.\\-+]");
        return new ServerVersion(number(parts, 0), number(parts, 1), number(parts, 2), version);
    }

    private static int number(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

package io.livehub.bench.load;

import java.util.Locale;

/**
 * Holds what a load client player needs from an HTTP/1.x response head (RFC 9112 §4, §6): the
 * status code and whether the body is chunked.
 *
 * <p>Thread-safety: immutable.
 *
 * @param status the status code
 * @param chunked whether {@code Transfer-Encoding} ends with {@code chunked}
 */
record HttpResponseHead(int status, boolean chunked) {

    /**
     * Parses a response head: the status line and the header fields, without the final empty line.
     *
     * @throws IllegalArgumentException when the status line is not {@code HTTP/1.x NNN ...}
     */
    static HttpResponseHead parse(String head) {
        String[] lines = head.split("\r?\n");
        String statusLine = lines[0];
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IllegalArgumentException("not an HTTP/1.x status line: " + abbreviate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad status code in: " + abbreviate(statusLine));
        }
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim();
            if (name.equalsIgnoreCase("Transfer-Encoding")) {
                String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                chunked = value.endsWith("chunked");
            }
        }
        return new HttpResponseHead(status, chunked);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}

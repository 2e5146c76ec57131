package io.livehub.hls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends one HTTP/1.1 request over a plain socket, for what {@link java.net.http.HttpClient}
 * will not send (a {@code Host} header of the test's choosing), and returns the response head
 * and body as text.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code GET path} with {@code Host: host} to 127.0.0.1:{@code port}; returns the response. */
    static String get(int port, String path, String host) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            for (int n; (n = in.read(b)) >= 0; ) {
                out.write(b, 0, n);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}

package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HttpResponseHeadTest {

    @Test
    void readsStatusAndChunkedCoding() {
        assertEquals(new HttpResponseHead(200, false),
                HttpResponseHead.parse("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nConnection: close"));
        assertEquals(new HttpResponseHead(200, true),
                HttpResponseHead.parse("HTTP/1.1 200 OK\r\ntransfer-encoding:  Chunked\r\n"));
        assertEquals(new HttpResponseHead(404, false), HttpResponseHead.parse("HTTP/1.0 404 Not Found"));
    }

    @Test
    void refusesWhatIsNotAStatusLine() {
        assertThrows(IllegalArgumentException.class, () -> HttpResponseHead.parse("RTMP/1.0 200 OK"));
        assertThrows(IllegalArgumentException.class, () -> HttpResponseHead.parse("HTTP/1.1 2x0 OK"));
        assertThrows(IllegalArgumentException.class, () -> HttpResponseHead.parse(""));
    }
}

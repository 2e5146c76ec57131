package io.livehub.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsNestedValues() {
        Map<String, Object> m = Json.parseObject(
                "{\"ok\":true,\"advanced\":3.0065,\"n\":-2e1,\"s\":\"a\\\"b\\u00e9\\n\",\"none\":null,"
                        + " \"list\":[1, \"x\", [], {}], \"info\":{\"mediaInfo\":{\"width\":320}}}");
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertEquals(3.0065, m.get("advanced"));
        assertEquals(-20.0, m.get("n"));
        assertEquals("a\"b\u00e9\n", m.get("s"));
        assertNull(m.get("none"));
        assertEquals(List.of(1.0, "x", List.of(), Map.of()), m.get("list"));
        assertEquals(320.0, Json.at(m, "info", "mediaInfo", "width"));
        assertNull(Json.at(m, "info", "nothing", "width"));
    }

    @Test
    void rejectsMalformedText() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,,2]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
    }
}

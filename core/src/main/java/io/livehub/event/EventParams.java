package io.livehub.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies event parameters, keeping the order the client sent them in (SRS's {@code param}). */
final class EventParams {

    private EventParams() {
    }

    static Map<String, String> copy(Map<String, String> params) {
        if (params.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}

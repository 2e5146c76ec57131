package io.livehub.hooks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads a hook server's answer the way SRS does: HTTP status 200 and a body that is the
 * integer {@code 0} or a JSON object whose {@code code} is 0 means success; anything else is
 * a refusal (SRS {@code SrsHttpHooks::do_post}).
 *
 * <p>Thread-safety: stateless.
 */
public final class HookAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HookAnswer() {
    }

    /**
     * Returns null when the answer is a success, else a short reason that names no URL and
     * quotes nothing the server sent but a number.
     *
     * @param body the answer's body, or null when it was longer than allowed
     */
    public static String refusal(int status, String body) {
        if (status != 200) {
            return "status " + status;
        }
        if (body == null) {
            return "answer too long";
        }
        String b = body.trim();
        if (b.isEmpty()) {
            return "empty answer";
        }
        JsonNode n;
        try {
            n = JSON.readTree(b);
        } catch (IOException e) {
            return "answer is not 0 or {\"code\":0}";
        }
        if (n == null) {
            return "empty answer";
        }
        if (n.isIntegralNumber()) {
            return n.asLong() == 0 ? null : "code " + n.asLong();
        }
        if (n.isObject()) {
            JsonNode code = n.get("code");
            if (code != null && code.isIntegralNumber()) {
                return code.asLong() == 0 ? null : "code " + code.asLong();
            }
            return "answer has no integer code";
        }
        return "answer is not 0 or {\"code\":0}";
    }

    /** Returns whether a failed call with {@code status} is worth trying again. */
    public static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }
}

package io.livehub.hooks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Checks that only status 200 with {@code 0} or {@code {"code":0}} counts as success, as in SRS. */
class HookAnswerTest {

    @Test
    void successes() {
        assertNull(HookAnswer.refusal(200, "0"));
        assertNull(HookAnswer.refusal(200, " 0\r\n"));
        assertNull(HookAnswer.refusal(200, "{\"code\":0}"));
        assertNull(HookAnswer.refusal(200, "{\"code\": 0, \"data\": {\"x\": 1}}"));
    }

    @Test
    void refusals() {
        assertEquals("code 1", HookAnswer.refusal(200, "{\"code\":1}"));
        assertEquals("code 403", HookAnswer.refusal(200, "403"));
        assertEquals("status 500", HookAnswer.refusal(500, "0"));
        assertEquals("status 201", HookAnswer.refusal(201, "0"));
        assertEquals("empty answer", HookAnswer.refusal(200, ""));
        assertEquals("answer too long", HookAnswer.refusal(200, null));
        assertNotNull(HookAnswer.refusal(200, "ok"));
        assertNotNull(HookAnswer.refusal(200, "{\"code\":\"0\"}"));
        assertNotNull(HookAnswer.refusal(200, "{}"));
        assertNotNull(HookAnswer.refusal(200, "[0]"));
        assertNotNull(HookAnswer.refusal(200, "0.5"));
    }
}

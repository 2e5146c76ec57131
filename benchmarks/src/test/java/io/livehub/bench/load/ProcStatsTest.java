package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void sumsUserAndSystemTimeAfterTheCommandName() {
        String stat = "4242 (nginx: worker (x) y) S 4241 4241 4241 0 -1 4194624 300 0 0 0 "
                + "1234 567 8 9 20 0 1 0 100 10000 200";
        assertEquals(1234 + 567, ProcStats.parseCpuTicks(stat));
        assertThrows(IllegalArgumentException.class, () -> ProcStats.parseCpuTicks("4242 nginx S"));
    }

    @Test
    void readsVmRss() {
        String status = "Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t   81234 kB\nThreads:\t20\n";
        assertEquals(81234, ProcStats.parseRssKib(status));
        assertEquals(0, ProcStats.parseRssKib("Name:\tzombie\n"));
    }

    @Test
    void readsThisProcessAndCountsMissingOnesAsZero() {
        if (!new java.io.File("/proc/self/stat").exists()) {
            return; // not Linux
        }
        assertTrue(ProcStats.self().rssKib() > 0);
        assertEquals(new ProcStats.Sample(0, 0), ProcStats.sample(List.of(Long.MAX_VALUE)));
    }
}

package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PlayersFedTest {

    @Test
    void countsPlayersWithTheFedShareOfTheWindowsFrames() {
        // 25 fps over 30 s: 750 frames, 95 % of it is 712.5
        long[] sorted = {0, 500, 712, 713, 749, 750, 751};
        assertEquals(4, LoadClient.playersFed(sorted, 750));
    }

    @Test
    void countsNoneOfNoPlayers() {
        assertEquals(0, LoadClient.playersFed(new long[0], 750));
    }

    @Test
    void parsesTheFrameRate() {
        LoadClientOptions o = LoadClientOptions.parse(new String[] {"--url=rtmp://127.0.0.1/live/a", "--fps=25"});
        assertEquals(25.0, o.fps());
        assertEquals(0.0, LoadClientOptions.parse(new String[] {"--url=rtmp://127.0.0.1/live/a"}).fps());
        assertThrows(IllegalArgumentException.class,
                () -> LoadClientOptions.parse(new String[] {"--url=rtmp://127.0.0.1/live/a", "--fps=-1"}));
    }
}

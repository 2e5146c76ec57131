package io.livehub.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.StreamKey;
import io.livehub.push.internal.DestinationUrls;
import io.livehub.rtmp.client.RtmpUrl;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PushTaskSpecTest {

    private static PushTaskSpec.Builder rtmp() {
        return PushTaskSpec.builder().id("t1").stream("live", "show").protocol(PushProtocol.RTMP);
    }

    @Test
    void rtmpKeyIsAppendedToTheServerUrl() {
        RtmpUrl u = DestinationUrls.rtmp(PushProtocol.RTMP, "rtmp://a.example.com/live2/", "abcd-1234");
        assertEquals("a.example.com", u.host());
        assertEquals(1935, u.port());
        assertEquals("live2", u.app());
        assertEquals("abcd-1234", u.stream());
    }

    @Test
    void singleUrlSplitsAtTheLastSlashWithoutAKey() {
        RtmpUrl u = DestinationUrls.rtmp(PushProtocol.RTMP, "rtmp://10.0.0.1:1936/app/inst/stream?sign=x", "");
        assertEquals("app/inst", u.app());
        assertEquals("stream?sign=x", u.stream());
        assertEquals(1936, u.port());
    }

    @Test
    void rtmpsDefaultsToPort443() {
        RtmpUrl u = DestinationUrls.rtmp(PushProtocol.RTMPS, "rtmps://live-api-s.facebook.com/rtmp", "FB-1");
        assertTrue(u.isSecure());
        assertEquals(443, u.port());
        assertThrows(IllegalArgumentException.class,
                () -> DestinationUrls.rtmp(PushProtocol.RTMPS, "rtmp://host/app", "k"), "scheme must match");
    }

    @Test
    void srtOptionsAreLibsrtUrlOptions() {
        DestinationUrls.SrtTarget t = DestinationUrls.srt(
                "srt://127.0.0.1:9000?mode=caller&latency=200&passphrase=0123456789abc&pbkeylen=32"
                        + "&streamid=%23!::r=live/show,m=publish", "");
        assertEquals("127.0.0.1", t.host());
        assertEquals(9000, t.port());
        assertEquals(200, t.latencyMillis());
        assertEquals("0123456789abc", t.passphrase());
        assertEquals(32, t.keyLength());
        assertEquals("#!::r=live/show,m=publish", t.streamId());
    }

    @Test
    void srtLatencyInMicrosecondsAsOvenMediaEngineWritesIt() {
        assertEquals(120, DestinationUrls.srt("srt://h:9000?mode=caller&latency=120000&timeout=500000", "").latencyMillis());
        assertEquals(-1, DestinationUrls.srt("srt://h:9000", "").latencyMillis(), "none: the module's");
    }

    @Test
    void srtStreamKeyIsTheStreamIdWhenTheUrlHasNone() {
        assertEquals("key1", DestinationUrls.srt("srt://h:9000", "key1").streamId());
        assertEquals("fromurl", DestinationUrls.srt("srt://h:9000?streamid=fromurl", "key1").streamId());
        assertNull(DestinationUrls.srt("srt://h:9000", "").streamId());
    }

    @Test
    void badDestinationsAreRefusedWithTheirReason() {
        assertThrows(IllegalArgumentException.class, () -> DestinationUrls.srt("srt://h:9000?mode=listener", ""));
        assertThrows(IllegalArgumentException.class, () -> DestinationUrls.srt("srt://h", ""), "no port");
        assertThrows(IllegalArgumentException.class, () -> DestinationUrls.srt("srt://h:9000?passphrase=short", ""));
        assertThrows(IllegalArgumentException.class, () -> DestinationUrls.srt("srt://h:9000?pbkeylen=8", ""));
        assertThrows(IllegalArgumentException.class, () -> DestinationUrls.udp("udp://h"));
        assertThrows(IllegalArgumentException.class, () -> DestinationUrls.udp("http://h:80"));
        assertThrows(IllegalArgumentException.class, () -> rtmp().url("rtmp://host/app").build(), "no stream key");
        assertThrows(IllegalArgumentException.class, () -> rtmp().id("a/b").url("rtmp://h/a").streamKey("k").build());
        assertThrows(IllegalArgumentException.class, () -> rtmp().id(null).url("rtmp://h/a").streamKey("k").build());
        assertThrows(IllegalArgumentException.class,
                () -> rtmp().url("rtmp://h/a/" + "x".repeat(PushTaskSpec.MAX_URL_LENGTH)).build());
    }

    @Test
    void redactsSecretsForLogs() {
        assertEquals("srt://h:9000?...", DestinationUrls.redact("srt://h:9000?passphrase=secret123456"));
        assertEquals("rtmp://h/app", DestinationUrls.redact("rtmp://user:pw@h/app"));
    }

    @Test
    void forwardRuleAppendsTheNameOrUsesItAsStreamId() {
        ForwardRule rule = ForwardRule.of("live", ForwardRule.rtmp("rtmp://backup:1935/live"),
                ForwardRule.srt("srt://backup:10080"));
        StreamKey key = StreamKey.of("live", "cam1");
        assertTrue(rule.matches(key));
        PushTaskSpec r = rule.spec(key, 0);
        assertEquals("cam1", DestinationUrls.rtmp(r.protocol(), r.url(), r.streamKey()).stream());
        PushTaskSpec s = rule.spec(key, 1);
        assertEquals("cam1", DestinationUrls.srt(s.url(), s.streamKey()).streamId());
        assertEquals(false, rule.matches(StreamKey.of("other", "cam1")));
    }

    @Test
    void timesAreFormattedAsOvenMediaEngineDoes() {
        String epoch = PushTaskInfo.format(null);
        assertTrue(epoch.matches("19(69|70)-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00\\.000[+-]\\d\\d:\\d\\d"), epoch);
        String t = PushTaskInfo.format(Instant.parse("2023-03-15T14:02:34.371Z"));
        assertTrue(t.matches("2023-03-1[56]T\\d\\d:\\d2:34\\.371[+-]\\d\\d:\\d\\d"), t);
    }
}

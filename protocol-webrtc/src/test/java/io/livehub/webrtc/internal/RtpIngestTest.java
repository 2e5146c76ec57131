package io.livehub.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.hub.HubConfig;
import io.livehub.hub.Publication;
import io.livehub.hub.StreamHub;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.testing.Await;
import io.livehub.webrtc.rtp.H264Packetizer;
import io.livehub.webrtc.rtp.RtpHeader;
import io.livehub.webrtc.rtp.RtpPayloadRun;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A WHIP publisher's RTP into hub frames: the SPS and PPS become the track's configuration
 * (with the picture size), frames before the first keyframe are dropped with a keyframe
 * request, timestamps keep the RTP clock's steps, and Opus packets become Opus frames.
 */
class RtpIngestTest {

    private static final byte[] SPS = HexFormat.of().parseHex("6742c00dd90141fb011000000300100000030320f142a480");
    private static final byte[] PPS = HexFormat.of().parseHex("68cb83cb20");
    private static final StreamKey KEY = StreamKey.of("live", "whip");

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final List<byte[]> payloads = new CopyOnWriteArrayList<>();
    private final List<Track> tracks = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private int seq = 100;

    private void send(RtpIngest ingest, int pt, long ts, byte[]... nals) {
        ByteBuf au = Unpooled.buffer();
        for (byte[] n : nals) {
            au.writeInt(n.length).writeBytes(n);
        }
        ByteBuf run = Unpooled.buffer();
        H264Packetizer.packetize(au, List.of(), 1178, run);
        RtpPayloadRun.forEach(run, (b, off, len, marker) -> packet(ingest, pt, ts, marker, ByteBufUtil.getBytes(b, off, len)));
        au.release();
        run.release();
    }

    private void packet(RtpIngest ingest, int pt, long ts, boolean marker, byte[] payload) {
        ByteBuf rtp = Unpooled.buffer();
        RtpHeader.write(rtp, marker, pt, seq++, ts, 0x1234);
        rtp.writeBytes(payload);
        loop.submit(() -> {
            try {
                ingest.onRtp(rtp);
            } finally {
                rtp.release();
            }
        }).syncUninterruptibly();
    }

    @Test
    void publishesWhatTheBrowserSends() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Subscription sub = hub.subscribe(KEY, new StreamSubscriber() {
            @Override
            public EventExecutor executor() {
                return loop;
            }

            @Override
            public void onFrame(MediaFrame frame) {
                frames.add(frame.track().codec() + " " + frame.dts() + (frame.isKeyframe() ? " key" : ""));
                payloads.add(ByteBufUtil.getBytes(frame.content()));
                tracks.add(frame.track());
            }
        });
        Publication pub = hub.publish(KEY, loop, "whip");
        AtomicInteger keyframeRequests = new AtomicInteger();
        RtpIngest ingest = new RtpIngest(pub, 108, 111, 1 << 20, 150_000_000L, keyframeRequests::incrementAndGet,
                lost -> { });

        byte[] p0 = {0x41, 1, 2, 3};
        send(ingest, 108, 1000, p0); // before any keyframe: dropped, a keyframe asked for
        assertEquals(1, keyframeRequests.get());
        byte[] idr = new byte[3000];
        idr[0] = 0x65;
        send(ingest, 108, 4000, SPS, PPS, idr);
        byte[] p1 = {0x41, 9, 9, 9};
        send(ingest, 108, 7000, p1);
        packet(ingest, 111, 96_000, false, new byte[] {(byte) 0xfc, 1, 2});
        packet(ingest, 111, 96_960, false, new byte[] {(byte) 0xfc, 3, 4});

        Await.until(() -> frames.size() == 4, 10, "four frames in the hub");
        assertTrue(frames.get(0).startsWith("H264 ") && frames.get(0).endsWith(" key"), frames.toString());
        long t0 = Long.parseLong(frames.get(0).split(" ")[1]);
        assertEquals("H264 " + (t0 + 3000), frames.get(1), "the RTP clock's step is kept");
        Track video = tracks.get(0);
        assertEquals(Timebase.MPEG_90K, video.timebase());
        assertEquals(320, video.width());
        assertEquals(240, video.height());
        AvcDecoderConfigurationRecord config = AvcDecoderConfigurationRecord.parse(video.config());
        assertArrayEquals(SPS, config.sequenceParameterSets().get(0));
        assertArrayEquals(PPS, config.pictureParameterSets().get(0));
        ByteBuf expected = Unpooled.buffer().writeInt(idr.length).writeBytes(idr);
        assertArrayEquals(ByteBufUtil.getBytes(expected), payloads.get(0), "the SPS and PPS left the frame");
        expected.release();
        assertEquals(CodecId.OPUS, tracks.get(2).codec());
        assertEquals(48_000, tracks.get(2).sampleRate());
        long a0 = Long.parseLong(frames.get(2).split(" ")[1]);
        assertEquals("OPUS " + (a0 + 960) + " key", frames.get(3), "every Opus frame is a random access point");
        assertArrayEquals(new byte[] {(byte) 0xfc, 1, 2}, payloads.get(2));
        assertEquals(1, ingest.droppedFrames());
        assertFalse(frames.get(1).endsWith("key"));
        pub.close();
        sub.close();
    }

    @Test
    void nacksAMissingPacketAndUsesItWhenItComesLate() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Subscription sub = hub.subscribe(KEY, new StreamSubscriber() {
            @Override
            public EventExecutor executor() {
                return loop;
            }

            @Override
            public void onFrame(MediaFrame frame) {
                frames.add(frame.track().codec() + " " + frame.dts() + (frame.isKeyframe() ? " key" : ""));
                payloads.add(ByteBufUtil.getBytes(frame.content()));
            }
        });
        Publication pub = hub.publish(KEY, loop, "whip");
        List<List<Integer>> nacks = new CopyOnWriteArrayList<>();
        RtpIngest ingest = new RtpIngest(pub, 108, 111, 1 << 20, 60_000_000_000L, () -> { }, nacks::add);
        ByteBuf au = Unpooled.buffer();
        byte[] idr = new byte[3000];
        idr[0] = 0x65;
        for (byte[] n : new byte[][] {SPS, PPS, idr}) {
            au.writeInt(n.length).writeBytes(n);
        }
        ByteBuf run = Unpooled.buffer();
        H264Packetizer.packetize(au, List.of(), 1178, run);
        List<byte[]> payloadsOut = new java.util.ArrayList<>();
        List<Boolean> markers = new java.util.ArrayList<>();
        RtpPayloadRun.forEach(run, (b, off, len, marker) -> {
            payloadsOut.add(ByteBufUtil.getBytes(b, off, len));
            markers.add(marker);
        });
        au.release();
        run.release();
        int first = seq;
        assertEquals(5, payloadsOut.size(), "SPS, PPS and three FU-A fragments");
        for (int k : new int[] {0, 2, 3, 4, 1}) { // the second packet comes last
            seq = first + k;
            packet(ingest, 108, 9000, markers.get(k), payloadsOut.get(k));
        }
        assertEquals(List.of(List.of(first + 1)), nacks);
        Await.until(() -> frames.size() == 1, 10, "the keyframe, whole");
        assertTrue(frames.get(0).endsWith(" key"));
        ByteBuf expected = Unpooled.buffer().writeInt(idr.length).writeBytes(idr);
        assertArrayEquals(ByteBufUtil.getBytes(expected), payloads.get(0));
        expected.release();
        pub.close();
        sub.close();
    }
}

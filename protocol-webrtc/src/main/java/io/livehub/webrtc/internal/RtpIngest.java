package io.livehub.webrtc.internal;

import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h264.H264Sps;
import io.livehub.codec.opus.OpusHead;
import io.livehub.hub.Publication;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.webrtc.rtp.H264Depacketizer;
import io.livehub.webrtc.rtp.ReceptionStatistics;
import io.livehub.webrtc.rtp.ReorderBuffer;
import io.livehub.webrtc.rtp.RtpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a WHIP publisher's RTP into hub frames (the {@code to_hub} side of WHIP): H.264
 * through {@link H264Depacketizer} into length-prefixed access units, with the SPS and PPS
 * taken out of the stream into the track's decoder configuration; Opus one packet per frame
 * (RFC 7587). Payload types tell the tracks apart (BUNDLE with one PT per codec).
 *
 * <p>Timestamps: each track's RTP clock is extended to 64 bits and placed on the session's
 * clock by the arrival time of its first packet, so the tracks line up to within the network
 * jitter of their first packets (sender reports would do better; not yet).
 *
 * <p>Feedback: reception statistics per track feed the receiver reports the session sends.
 *
 * <p>Loss: video packets go through a {@link ReorderBuffer}; a missing one is NACKed at once
 * and waited for up to the reorder delay, then given up on.
 *
 * <p>Keyframes: until the first keyframe with SPS and PPS, and after an access unit is lost,
 * frames are dropped and {@code requestKeyframe} is called (the session sends a PLI).
 *
 * <p>Thread-safety: runs on the session's executor, which is the publication's. Ownership:
 * packets are borrowed.
 */
final class RtpIngest {

    private static final Timebase VIDEO_CLOCK = Timebase.MPEG_90K;
    private static final Timebase OPUS_CLOCK = Timebase.ofRate(48_000);

    private final Publication publication;
    private final int videoPt;
    private final int audioPt;
    private final Runnable requestKeyframe;
    private final java.util.function.Consumer<List<Integer>> nack;
    private final ReorderBuffer<VideoPacket> reorder;
    private final long startNanos = System.nanoTime();
    private final H264Depacketizer depacketizer;
    private final Clock videoClock = new Clock(90_000);
    private final Clock audioClock = new Clock(48_000);
    private final ReceptionStatistics videoStats = new ReceptionStatistics(90_000);
    private final ReceptionStatistics audioStats = new ReceptionStatistics(48_000);
    private Track videoTrack;
    private Track audioTrack;
    private boolean waitingForKeyframe = true;
    private long framesIn;
    private long droppedFrames;
    private long lastDropped;

    /** One video packet waiting in the reorder buffer. */
    private record VideoPacket(long timestamp, boolean marker, byte[] payload) {
    }

    /**
     * @param reorderDelayNanos how long a missing video packet is waited for (NACKed at once)
     * @param nack              asks the publisher to resend these sequence numbers
     */
    RtpIngest(Publication publication, int videoPt, int audioPt, int maxAccessUnitBytes, long reorderDelayNanos,
              Runnable requestKeyframe, java.util.function.Consumer<List<Integer>> nack) {
        this.publication = publication;
        this.videoPt = videoPt;
        this.audioPt = audioPt;
        this.requestKeyframe = requestKeyframe;
        this.nack = nack;
        this.depacketizer = new H264Depacketizer(maxAccessUnitBytes, this::accessUnit);
        this.reorder = new ReorderBuffer<>(512, reorderDelayNanos, this::videoInOrder);
    }

    /** Video packets in sequence order, gaps meaning given up on. */
    private void videoInOrder(int seq, VideoPacket p) {
        if (p.payload().length == 0) {
            depacketizer.padding(seq);
        } else {
            depacketizer.packet(seq, p.timestamp(), p.marker(), p.payload(), 0, p.payload().length);
        }
        if (depacketizer.dropped() != lastDropped) {
            lastDropped = depacketizer.dropped();
            waitingForKeyframe = true;
            requestKeyframe.run();
        }
    }

    long framesIn() {
        return framesIn;
    }

    long droppedFrames() {
        return droppedFrames + depacketizer.dropped();
    }

    /** Returns how many video packets were given up on after waiting. */
    long lostPackets() {
        return reorder.skipped();
    }

    /** Takes one decrypted RTP packet. */
    void onRtp(ByteBuf rtp) {
        int header = RtpHeader.headerLength(rtp);
        if (header < 0) {
            return;
        }
        int i = rtp.readerIndex();
        int b0 = rtp.getUnsignedByte(i);
        int pt = rtp.getUnsignedByte(i + 1) & 0x7F;
        boolean marker = (rtp.getUnsignedByte(i + 1) & 0x80) != 0;
        int seq = rtp.getUnsignedShort(i + 2);
        long ts = rtp.getUnsignedInt(i + 4);
        int padding = (b0 & 0x20) != 0 ? rtp.getUnsignedByte(i + rtp.readableBytes() - 1) : 0;
        int length = rtp.readableBytes() - header - padding;
        ReceptionStatistics stats = pt == videoPt ? videoStats : pt == audioPt ? audioStats : null;
        if (stats != null) {
            stats.packet(rtp.getInt(i + 8), seq, ts, System.nanoTime());
        }
        long now = System.nanoTime();
        if (pt == videoPt) {
            byte[] payload = length <= 0 ? new byte[0] : ByteBufUtil.getBytes(rtp, i + header, length);
            if (length > 0) {
                videoClock.arrived(ts, now - startNanos);
            }
            reorder.add(seq, new VideoPacket(ts, marker, payload), now);
            List<Integer> missing = reorder.newlyMissing(64);
            if (!missing.isEmpty()) {
                nack.accept(missing);
            }
            return;
        }
        reorder.poll(now);
        if (length <= 0) {
            return;
        }
        if (pt == audioPt) {
            if (audioTrack == null) {
                audioTrack = Track.builder(CodecId.OPUS).timebase(OPUS_CLOCK)
                        .config(OpusHead.of(2, 312, 48_000).encode()).audio(48_000, 2).build();
            }
            long t = audioClock.arrived(ts, System.nanoTime() - startNanos);
            publish(MediaFrame.of(audioTrack, t, t, true, Unpooled.wrappedBuffer(
                    ByteBufUtil.getBytes(rtp, i + header, length))));
        }
    }

    /** Notes a sender report of the publisher, for the LSR and DLSR of the next receiver report. */
    void onSenderReport(int ssrc, long ntp) {
        for (ReceptionStatistics s : new ReceptionStatistics[] {videoStats, audioStats}) {
            if (s.started() && s.ssrc() == ssrc) {
                s.senderReport(ntp, System.nanoTime());
            }
        }
    }

    /**
     * Appends a receiver report (RFC 3550 section 6.4.2) from {@code ourSsrc} about each
     * track received so far; returns false, writing nothing, when none was. Browsers adapt
     * their sending rate to the loss it reports.
     */
    boolean writeReceiverReport(ByteBuf out, int ourSsrc) {
        int n = (videoStats.started() ? 1 : 0) + (audioStats.started() ? 1 : 0);
        if (n == 0) {
            return false;
        }
        out.writeByte(0x80 | n);
        out.writeByte(201);
        out.writeShort(1 + 6 * n);
        out.writeInt(ourSsrc);
        long now = System.nanoTime();
        for (ReceptionStatistics s : new ReceptionStatistics[] {videoStats, audioStats}) {
            if (s.started()) {
                s.writeBlock(out, now);
            }
        }
        return true;
    }

    private void accessUnit(byte[] au, long rtpTimestamp, boolean keyframe) {
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        ByteArrayOutputStream rest = new ByteArrayOutputStream(au.length);
        for (int p = 0; p + 4 <= au.length; ) {
            int n = ((au[p] & 0xFF) << 24) | ((au[p + 1] & 0xFF) << 16) | ((au[p + 2] & 0xFF) << 8) | (au[p + 3] & 0xFF);
            int type = au[p + 4] & 0x1F;
            if (type == 7) {
                sps.add(Arrays.copyOfRange(au, p + 4, p + 4 + n));
            } else if (type == 8) {
                pps.add(Arrays.copyOfRange(au, p + 4, p + 4 + n));
            } else if (type != 9) {
                rest.write(au, p, 4 + n);
            }
            p += 4 + n;
        }
        if (!sps.isEmpty() && !pps.isEmpty()) {
            configure(sps, pps);
        }
        if (waitingForKeyframe && !(keyframe && videoTrack != null)) {
            droppedFrames++;
            requestKeyframe.run();
            return;
        }
        waitingForKeyframe = false;
        if (rest.size() == 0) {
            return;
        }
        long t = videoClock.extend(rtpTimestamp);
        publish(MediaFrame.of(videoTrack, t, t, keyframe, Unpooled.wrappedBuffer(rest.toByteArray())));
    }

    private void configure(List<byte[]> sps, List<byte[]> pps) {
        byte[] config;
        H264Sps parsed;
        try {
            config = AvcDecoderConfigurationRecord.of(sps, pps).encode();
            parsed = H264Sps.parse(sps.get(0));
        } catch (RuntimeException e) {
            return; // a broken SPS: keep the previous configuration
        }
        if (videoTrack == null || !Arrays.equals(videoTrack.config(), config)) {
            videoTrack = Track.builder(CodecId.H264).timebase(VIDEO_CLOCK).config(config)
                    .dimensions(parsed.width(), parsed.height()).build();
        }
    }

    private void publish(MediaFrame frame) {
        framesIn++;
        publication.publish(frame);
    }

    /**
     * One track's RTP clock: 32-bit timestamps extended to 64 bits, offset so that the first
     * packet lands at its arrival time on the session's clock.
     */
    private static final class Clock {
        private final int rate;
        private long last = Long.MIN_VALUE;
        private long base;

        Clock(int rate) {
            this.rate = rate;
        }

        /** Extends {@code ts}; the first call sets the offset from {@code sinceStartNanos}. */
        long arrived(long ts, long sinceStartNanos) {
            if (last == Long.MIN_VALUE) {
                last = ts;
                base = sinceStartNanos * rate / 1_000_000_000L - ts;
            }
            return extend(ts);
        }

        long extend(long ts) {
            long ext = last + (int) (ts - last);
            last = ext;
            return ext + base;
        }
    }
}

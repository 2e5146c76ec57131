package io.livehub.webrtc.internal;

import io.livehub.hub.StreamSubscriber;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.webrtc.rtp.RetransmissionBuffer;
import io.livehub.webrtc.rtp.RtcpListener;
import io.livehub.webrtc.rtp.RtcpSenderReport;
import io.livehub.webrtc.rtp.RtpHeader;
import io.livehub.webrtc.rtp.RtpPayloadRun;
import io.livehub.webrtc.srtp.SrtpContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.security.SecureRandom;

/**
 * Turns one viewer's hub frames into SRTP packets (the {@code from_hub} side of WHEP): H.264
 * from the stream's shared payload run ({@link H264RtpForm}), Opus one frame per packet
 * (RFC 7587 section 4.2); every packet gets this viewer's sequence number, timestamp offset
 * and SSRC, is protected, sent, and kept for NACKs.
 *
 * <p>Timestamps: the RTP timestamp is the frame's presentation time on the RTP clock (90 kHz
 * video, 48 kHz Opus) plus a random offset per track (RFC 3550 section 5.1); with B-frames
 * the timestamps go up and down in decode order, as RFC 6184 section 5.1 says they do.
 * Sender reports map both tracks to one wall clock anchored at the first frame sent, so
 * the browser can synchronise them (RFC 3550 section 6.4.1).
 *
 * <p>Thread-safety: every method runs on {@link #executor()}, the session's executor.
 * Ownership: frames are borrowed; sent packets are owned by the retransmission buffers,
 * released by {@link #release()}.
 */
final class RtpSender implements StreamSubscriber, RtcpListener {

    private static final Timebase VIDEO_CLOCK = Timebase.ofRate(90_000);
    private static final Timebase OPUS_CLOCK = Timebase.ofRate(48_000);

    private final PeerSession peer;
    private final SrtpContext srtp;
    private final ByteBufAllocator alloc;
    private final int maxPayload;
    private final io.livehub.media.EgressForm h264Form;
    private final Track video;
    private final Track audio;
    private long anchorWallMicros = Long.MIN_VALUE;
    private long anchorMediaMicros;
    private long unsupportedFrames;
    private boolean warnedBFrames;
    private long pictureLossRequests;

    RtpSender(PeerSession peer, SrtpContext srtp, ByteBufAllocator alloc, int mtu, int videoPt, int videoSsrc,
              int audioPt, int audioSsrc, int nackBufferPackets) {
        this.peer = peer;
        this.srtp = srtp;
        this.alloc = alloc;
        this.maxPayload = mtu - RtpHeader.LENGTH - srtp.profile().tagLength();
        this.h264Form = H264RtpForm.form(peer.egressForms(), maxPayload);
        SecureRandom random = new SecureRandom();
        this.video = videoPt < 0 ? null : new Track(videoPt, videoSsrc, random, nackBufferPackets);
        this.audio = audioPt < 0 ? null : new Track(audioPt, audioSsrc, random, nackBufferPackets);
    }

    @Override
    public EventExecutor executor() {
        return peer.executor();
    }

    @Override
    public void onFrame(MediaFrame frame) {
        CodecId codec = frame.track().codec();
        if (codec == CodecId.H264 && video != null) {
            if (frame.cts() != 0 && !warnedBFrames) {
                warnedBFrames = true;
                peer.warnBFrames();
            }
            ByteBuf run = frame.encoded(h264Form, alloc);
            long micros = frame.track().timebase().rescale(frame.pts(), Timebase.ofRate(1_000_000));
            long ts = video.offset + frame.track().timebase().rescale(frame.pts(), VIDEO_CLOCK);
            anchor(micros);
            video.mark(micros, ts);
            RtpPayloadRun.forEach(run, (b, off, len, marker) -> send(video, b, off, len, marker, ts));
        } else if (codec == CodecId.OPUS && audio != null) {
            ByteBuf payload = frame.content();
            long micros = frame.track().timebase().rescale(frame.pts(), Timebase.ofRate(1_000_000));
            long ts = audio.offset + frame.track().timebase().rescale(frame.pts(), OPUS_CLOCK);
            anchor(micros);
            audio.mark(micros, ts);
            send(audio, payload, payload.readerIndex(), payload.readableBytes(), false, ts);
        } else {
            unsupportedFrames++;
        }
    }

    @Override
    public void onFlush() {
        peer.flush();
    }

    private void anchor(long mediaMicros) {
        if (anchorWallMicros == Long.MIN_VALUE) {
            anchorWallMicros = System.currentTimeMillis() * 1000;
            anchorMediaMicros = mediaMicros;
        }
    }

    private void send(Track t, ByteBuf src, int off, int len, boolean marker, long ts) {
        ByteBuf rtp = alloc.buffer(RtpHeader.LENGTH + len);
        ByteBuf packet;
        int seq = t.sequence;
        try {
            RtpHeader.write(rtp, marker, t.payloadType, seq, ts, t.ssrc);
            rtp.writeBytes(src, off, len);
            packet = srtp.protectRtp(rtp, alloc);
        } finally {
            rtp.release();
        }
        t.sequence = (seq + 1) & 0xFFFF;
        t.packets++;
        t.octets += len;
        t.retransmissions.put(seq, packet);
        peer.write(packet.retainedDuplicate());
    }

    /** Sends an SR + SDES for each track that has sent media. */
    void sendReports() {
        for (Track t : new Track[] {video, audio}) {
            if (t == null || t.packets == 0) {
                continue;
            }
            ByteBuf rtcp = alloc.buffer(64);
            try {
                long wall = anchorWallMicros + (t.lastMediaMicros - anchorMediaMicros);
                RtcpSenderReport.write(rtcp, t.ssrc, wall, t.lastRtpTimestamp, t.packets, t.octets, peer.cname());
                peer.write(srtp.protectRtcp(rtcp, alloc));
            } finally {
                rtcp.release();
            }
        }
        peer.flush();
    }

    @Override
    public void onNack(int mediaSsrc, int[] lost, int count) {
        Track t = video != null && video.ssrc == mediaSsrc ? video : audio != null && audio.ssrc == mediaSsrc ? audio
                : null;
        if (t == null) {
            return;
        }
        for (int i = 0; i < count; i++) {
            ByteBuf p = t.retransmissions.get(lost[i]);
            if (p != null) {
                t.retransmitted++;
                peer.write(p.retainedDuplicate());
            }
        }
        peer.flush();
    }

    @Override
    public void onPictureLoss(int mediaSsrc) {
        // A WHIP source is asked for a keyframe; an RTMP or SRT source cannot be, and the
        // next keyframe comes with its GOP.
        pictureLossRequests++;
        peer.keyframeWanted();
    }

    @Override
    public void onFullIntraRequest(int mediaSsrc) {
        pictureLossRequests++;
        peer.keyframeWanted();
    }

    @Override
    public void onBye(int ssrc) {
        peer.close("RTCP BYE from the viewer");
    }

    long unsupportedFrames() {
        return unsupportedFrames;
    }

    long pictureLossRequests() {
        return pictureLossRequests;
    }

    long retransmitted() {
        return (video == null ? 0 : video.retransmitted) + (audio == null ? 0 : audio.retransmitted);
    }

    long packetsSent() {
        return (video == null ? 0 : video.packets) + (audio == null ? 0 : audio.packets);
    }

    /** Releases the kept packets. */
    void release() {
        if (video != null) {
            video.retransmissions.clear();
        }
        if (audio != null) {
            audio.retransmissions.clear();
        }
    }

    /** One outgoing RTP stream. */
    private static final class Track {
        final int payloadType;
        final int ssrc;
        final long offset;
        final RetransmissionBuffer retransmissions;
        int sequence;
        long packets;
        long octets;
        long retransmitted;
        long lastMediaMicros;
        long lastRtpTimestamp;

        Track(int payloadType, int ssrc, SecureRandom random, int nackBufferPackets) {
            this.payloadType = payloadType;
            this.ssrc = ssrc;
            this.offset = random.nextInt() & 0xFFFFFFFFL;
            this.sequence = random.nextInt(0x8000);
            this.retransmissions = new RetransmissionBuffer(nackBufferPackets);
        }

        void mark(long mediaMicros, long rtpTimestamp) {
            lastMediaMicros = mediaMicros;
            lastRtpTimestamp = rtpTimestamp;
        }
    }
}

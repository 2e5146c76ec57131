package io.livehub.ts;

import io.livehub.media.CodecId;
import io.livehub.media.EgressForm;
import io.livehub.media.EgressForms;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes one frame as the transport packets of its PES packet (ITU-T H.222.0 §2.4.3.2,
 * §2.4.3.6), once per stream, for every output of that stream to share ("encode once, write
 * many"); a {@link TsFrameWriter} per output copies them with its own continuity counters and
 * its own PAT and PMT.
 *
 * <p>So that the bytes depend on the frame alone, the program is fixed: video on PID
 * {@value #VIDEO_PID}, audio on {@value #AUDIO_PID} (ffmpeg's and {@link TsMuxer}'s defaults
 * for a video and an audio track), the PCR on the video PID, or on the audio PID of a stream
 * without video ({@link #pcrForm}); the continuity counters count from 0 within the frame,
 * and the writer rewrites them. The packets are those {@link TsMuxer} writes for the same frame,
 * except that an Opus stream carries no start trim (an output joins mid-stream).
 *
 * <p>Thread-safety: stateless; {@link #encode} may run on any thread.
 */
public final class TsFrameForm {

    /** The video elementary stream's PID. */
    public static final int VIDEO_PID = 0x100;
    /** The audio elementary stream's PID. */
    public static final int AUDIO_PID = 0x101;

    /** Returns, in a server's {@code forms}, the packets of a frame, with a PCR when it is video. */
    public static EgressForm form(EgressForms forms) {
        return forms.of("ts.frame", (frame, alloc) -> encode(frame, alloc, false));
    }

    /**
     * Returns, in a server's {@code forms}, the packets of a frame with a PCR whatever its kind:
     * the audio of a stream without video.
     */
    public static EgressForm pcrForm(EgressForms forms) {
        return forms.of("ts.frame.pcr", (frame, alloc) -> encode(frame, alloc, true));
    }

    private static final long PCR_DELAY_TICKS = TsMuxerConfig.defaults().pcrDelay().toNanos() * 9 / 100_000;

    private TsFrameForm() {
    }

    /** Returns whether MPEG-TS carries {@code track} here: H.264, H.265, AAC or Opus. */
    public static boolean carries(Track track) {
        CodecId c = track.codec();
        return c == CodecId.H264 || c == CodecId.H265 || c == CodecId.AAC || c == CodecId.OPUS;
    }

    /** Returns the PID of {@code track}'s elementary stream. */
    public static int pid(Track track) {
        return track.kind() == TrackKind.VIDEO ? VIDEO_PID : AUDIO_PID;
    }

    /**
     * Returns the PMT of a program of {@code video} and {@code audio} (either may be null, not
     * both), with the PIDs this form writes.
     *
     * @throws IllegalArgumentException when a track cannot be carried (see {@link TsMuxer})
     */
    public static ProgramMapTable programMapTable(TsMuxerConfig config, int version, Track video, Track audio) {
        List<ProgramMapTable.ElementaryStream> es = new ArrayList<>(2);
        if (video != null) {
            es.add(new TsElementaryStream(video, VIDEO_PID, false).elementaryStream());
        }
        if (audio != null) {
            es.add(new TsElementaryStream(audio, AUDIO_PID, false).elementaryStream());
        }
        if (es.isEmpty()) {
            throw new IllegalArgumentException("a TS program needs a track");
        }
        return new ProgramMapTable(config.programNumber(), version, video != null ? VIDEO_PID : AUDIO_PID,
                new byte[0], es);
    }

    /**
     * Returns {@code frame} as whole transport packets, continuity counters from 0; empty for an
     * empty frame.
     *
     * <p>Ownership: {@code frame} is borrowed; the caller releases the returned buffer (through
     * {@link MediaFrame#encoded} the frame does).
     *
     * @param pcr whether the first packet carries a PCR even when the frame is not video
     * @throws IllegalArgumentException when MPEG-TS cannot carry the frame's codec
     * @throws io.livehub.media.MalformedMediaException when the frame's payload or its track's
     *         configuration is malformed
     */
    public static ByteBuf encode(MediaFrame frame, ByteBufAllocator alloc, boolean pcr) {
        Track track = frame.track();
        int size = frame.content().readableBytes();
        ByteBuf out = alloc.buffer(size + size / 40 + 2 * TsPacket.SIZE);
        if (size == 0) {
            return out;
        }
        try {
            TsElementaryStream s = new TsElementaryStream(track, pid(track), false);
            long dts = track.timebase().rescale(frame.dts(), Timebase.MPEG_90K);
            long pts = track.timebase().rescale(frame.pts(), Timebase.MPEG_90K);
            ByteBuf pes = s.buildPes(frame, pts, dts, alloc);
            try {
                s.packetize(out, pes, frame.isKeyframe(), pcr || track.kind() == TrackKind.VIDEO,
                        dts - PCR_DELAY_TICKS);
            } finally {
                pes.release();
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}

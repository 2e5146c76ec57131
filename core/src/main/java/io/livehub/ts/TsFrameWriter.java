package io.livehub.ts;

import io.livehub.media.EgressForm;
import io.livehub.media.EgressForms;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;

/**
 * Writes one output's MPEG-TS (ITU-T H.222.0) from the frames' shared {@link TsFrameForm}s: it
 * copies each frame's packets and stamps them with this output's continuity counters
 * (§2.4.3.3: consecutive per PID, so they cannot be shared by outputs that joined at different
 * frames or dropped different frames), and writes its own PAT and PMT (§2.4.4.3, §2.4.4.8)
 * before the first frame, before every video keyframe, when {@link TsMuxerConfig#psiInterval()}
 * has passed in DTS, and when a track changes (the PMT's version then moves on). The bytes are
 * those of a {@link TsMuxer} of the same tracks, so the output is as valid as the muxer's; the
 * per-output work is a copy of the packets and one byte per packet.
 *
 * <p>The PIDs are {@link TsFrameForm}'s; {@code config} gives the PMT PID, the program and
 * transport stream ids and the PSI interval ({@link TsMuxerConfig#firstElementaryPid()} and
 * {@link TsMuxerConfig#pcrDelay()} do not apply).
 *
 * <p>Thread-safety: not thread-safe; one writer per output, confined to its thread.
 *
 * <p>Ownership: frames are borrowed; {@code out} buffers are borrowed and written at their
 * writer index.
 */
public final class TsFrameWriter {

    private final TsMuxerConfig config;
    private final EgressForm form;
    private final EgressForm pcrForm;
    private final byte[] pat;
    private final long psiIntervalTicks;
    private Track video;
    private Track audio;
    private byte[] pmt;
    private int version = -1;
    private int patCc;
    private int pmtCc;
    private int videoCc;
    private int audioCc;
    private boolean psiDue = true;
    private long lastPsiDts;

    /**
     * @param config the program's settings (PIDs of PAT and PMT, PSI interval)
     * @param forms  the server's egress forms ({@code StreamHub.egressForms()}), where the shared
     *               packets of a frame are cached for every output of the server
     */
    public TsFrameWriter(TsMuxerConfig config, EgressForms forms) {
        this.config = Objects.requireNonNull(config, "config");
        this.form = TsFrameForm.form(forms);
        this.pcrForm = TsFrameForm.pcrForm(forms);
        pat = new ProgramAssociationTable(config.transportStreamId(), 0,
                List.of(new ProgramAssociationTable.Program(config.programNumber(), config.pmtPid()))).encode();
        psiIntervalTicks = config.psiInterval().toNanos() * 9 / 100_000;
    }

    /**
     * Sets the program's tracks (a publication starts; either may be null when unknown yet): the
     * PMT lists them from the next frame on, preceded by PAT and PMT. Tracks TS cannot carry
     * are left out.
     */
    public void tracks(Track video, Track audio) {
        this.video = video != null && TsFrameForm.carries(video) ? video : null;
        this.audio = audio != null && TsFrameForm.carries(audio) ? audio : null;
        pmt = null;
    }

    /** Returns whether {@link #write} takes {@code frame}: a video or audio frame of a codec TS carries. */
    public boolean accepts(MediaFrame frame) {
        Track t = frame.track();
        return t.kind() != TrackKind.DATA && TsFrameForm.carries(t);
    }

    /**
     * Returns the shared form {@link #write} copies for {@code frame}: every output of a stream
     * asks for the same one, so it is encoded once.
     */
    public EgressForm formOf(MediaFrame frame) {
        return frame.track().kind() != TrackKind.VIDEO && video == null ? pcrForm : form;
    }

    /**
     * Writes {@code frame}'s packets (encoded once per stream, see {@link #formOf}) with this
     * output's counters, preceded by PAT and PMT when they are due. A frame of a new track (a new
     * codec configuration) changes the PMT first.
     *
     * <p>Ownership: {@code frame} is borrowed (its shared form is read, never changed);
     * {@code out} is borrowed and whole packets are appended at its writer index.
     *
     * @throws IllegalArgumentException when {@link #accepts} is false for the frame
     * @throws io.livehub.media.MalformedMediaException when the frame cannot be encoded; nothing
     *         is written then
     */
    public void write(MediaFrame frame, ByteBuf out) {
        if (!accepts(frame)) {
            throw new IllegalArgumentException("MPEG-TS does not carry " + frame.track().codec() + " here");
        }
        Track t = frame.track();
        boolean isVideo = t.kind() == TrackKind.VIDEO;
        if (isVideo ? t != video : t != audio) {
            if (isVideo) {
                video = t;
            } else {
                audio = t;
            }
            pmt = null;
        }
        if (pmt == null) {
            version = (version + 1) & 0x1F;
            pmt = TsFrameForm.programMapTable(config, version, video, audio).encode();
            psiDue = true;
        }
        ByteBuf packets = frame.encoded(formOf(frame), out.alloc());
        if (!packets.isReadable()) {
            return;
        }
        long dts = t.timebase().rescale(frame.dts(), Timebase.MPEG_90K);
        if (psiDue || frame.isKeyframe() && isVideo || dts - lastPsiDts >= psiIntervalTicks || dts < lastPsiDts) {
            patCc = TsMuxer.writeSection(out, TsPacket.PAT_PID, pat, patCc);
            pmtCc = TsMuxer.writeSection(out, config.pmtPid(), pmt, pmtCc);
            psiDue = false;
            lastPsiDts = dts;
        }
        int start = out.writerIndex();
        out.writeBytes(packets, packets.readerIndex(), packets.readableBytes());
        int cc = isVideo ? videoCc : audioCc;
        for (int i = start + 3; i < out.writerIndex(); i += TsPacket.SIZE) {
            // Every packet of a PES carries payload, so each one counts (§2.4.3.3).
            out.setByte(i, (out.getByte(i) & 0xF0) | cc);
            cc = (cc + 1) & 0x0F;
        }
        if (isVideo) {
            videoCc = cc;
        } else {
            audioCc = cc;
        }
    }
}

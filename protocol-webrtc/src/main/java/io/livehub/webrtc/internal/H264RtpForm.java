package io.livehub.webrtc.internal;

import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.media.EgressForm;
import io.livehub.media.MediaFrame;
import io.livehub.webrtc.rtp.H264Packetizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-stream RTP payload run of an H.264 frame ({@link io.livehub.webrtc.rtp.RtpPayloadRun}),
 * built once per frame and shared by every WHEP viewer of the stream; the payload budget is
 * in the form's name, since it changes the bytes.
 */
final class H264RtpForm {

    private H264RtpForm() {
    }

    /** Returns the form, in a server's {@code forms}, for payloads of at most {@code maxPayload} bytes. */
    static EgressForm form(io.livehub.media.EgressForms forms, int maxPayload) {
        return forms.of("webrtc.h264.rtp." + maxPayload, (frame, alloc) -> encode(frame, alloc, maxPayload));
    }

    static ByteBuf encode(MediaFrame frame, ByteBufAllocator alloc, int maxPayload) {
        List<byte[]> parameterSets = List.of();
        if (frame.isKeyframe() && frame.track().hasConfig()) {
            try {
                AvcDecoderConfigurationRecord r = AvcDecoderConfigurationRecord.parse(frame.track().config());
                parameterSets = new ArrayList<>(r.sequenceParameterSets());
                parameterSets.addAll(r.pictureParameterSets());
            } catch (RuntimeException e) {
                parameterSets = List.of(); // in-band parameter sets, if any, still go out
            }
        }
        ByteBuf content = frame.content();
        ByteBuf out = alloc.buffer(content.readableBytes() + content.readableBytes() / maxPayload * 5 + 64);
        try {
            H264Packetizer.packetize(content.duplicate(), parameterSets, maxPayload, out);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        return out;
    }
}

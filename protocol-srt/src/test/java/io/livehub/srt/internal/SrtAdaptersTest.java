package io.livehub.srt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MediaFrame;
import io.livehub.media.TrackKind;
import io.livehub.ts.TsDemuxer;
import io.livehub.ts.TsDemuxerListener;
import io.livehub.ts.TsPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs a real H.264 + AAC stream through {@link SrtIngest} (1316-byte payloads to frames) and
 * two {@link SrtEgress}es (frames to payloads), one joining at the second keyframe: every
 * payload is whole TS packets within the payload size, and each player's payloads demux with
 * no continuity error into the frames it was given.
 */
class SrtAdaptersTest {

    private static final io.livehub.media.EgressForms FORMS = new io.livehub.media.EgressForms();

    private static ByteBuf resource(String name) throws IOException {
        try (InputStream in = SrtAdaptersTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return Unpooled.wrappedBuffer(in.readAllBytes());
        }
    }

    @Test
    void ingestAndTwoEgressesKeepEveryFrameAndTheirOwnCounters() throws IOException {
        ByteBuf file = resource("/io/livehub/ts/h264_aac.ts");
        List<MediaFrame> frames = new ArrayList<>();
        SrtIngest ingest = new SrtIngest();
        try {
            for (int i = 0; i < file.readableBytes(); i += 1316) {
                ingest.decode(file.slice(i, Math.min(1316, file.readableBytes() - i)), frames::add);
            }
            ingest.flush(frames::add);
            assertTrue(frames.size() > 50, "frames: " + frames.size());
            frames.sort(java.util.Comparator.comparingLong(MediaFrame::dts).thenComparing(f -> f.isVideo() ? 0 : 1));
            int join = -1;
            for (int i = 0, keys = 0; i < frames.size(); i++) {
                if (frames.get(i).isVideo() && frames.get(i).isKeyframe() && ++keys == 2) {
                    join = i;
                    break;
                }
            }
            assertTrue(join > 0, "a second keyframe");
            for (List<MediaFrame> played : List.of(frames, frames.subList(join, frames.size()))) {
                SrtEgress egress = new SrtEgress(1316, ByteBufAllocator.DEFAULT, FORMS);
                ByteBuf wire = Unpooled.buffer();
                for (MediaFrame f : played) {
                    egress.encode(f, payload -> {
                        try {
                            assertTrue(payload.readableBytes() <= 1316, "payload of " + payload.readableBytes());
                            assertEquals(0, payload.readableBytes() % TsPacket.SIZE, "whole packets");
                            wire.writeBytes(payload);
                        } finally {
                            payload.release();
                        }
                    });
                }
                egress.close();
                TsDemuxer check = new TsDemuxer();
                int[] counts = new int[2];
                check.decode(wire, new TsDemuxerListener() {
                    @Override
                    public void onFrame(MediaFrame f) {
                        counts[f.track().kind() == TrackKind.VIDEO ? 0 : 1]++;
                        f.release();
                    }
                });
                check.flush(f -> {
                    counts[f.track().kind() == TrackKind.VIDEO ? 0 : 1]++;
                    f.release();
                });
                check.close();
                wire.release();
                assertEquals(0, check.continuityErrors(), "continuity errors");
                assertEquals(played.stream().filter(MediaFrame::isVideo).count(), counts[0], "video frames");
                assertEquals(played.stream().filter(f -> !f.isVideo()).count(), counts[1], "audio frames");
            }
        } finally {
            ingest.close();
            frames.forEach(MediaFrame::release);
            file.release();
        }
    }
}

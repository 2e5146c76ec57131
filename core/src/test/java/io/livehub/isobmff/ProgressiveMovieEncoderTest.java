package io.livehub.isobmff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden checks of the sample tables and edit lists of a progressive file's moov. */
class ProgressiveMovieEncoderTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    /** A made-up stsd: the encoder copies it as it is. */
    private static final byte[] STSD = {0, 0, 0, 16, 's', 't', 's', 'd', 0, 0, 0, 0, 0, 0, 0, 0};

    /**
     * Five 40 ms video samples in decode order I P B B P (composition offsets 40, 120, 40, 40,
     * 0; only the first is a sync sample), three in one chunk at 0 and two in one at 1000.
     */
    private static SampleTable video() {
        SampleTable t = new SampleTable();
        t.startChunk(0);
        t.add(100, 40, 40, true);
        t.add(20, 40, 120, false);
        t.add(10, 40, 40, false);
        t.startChunk(1000);
        t.add(10, 40, 40, false);
        t.add(30, 40, 0, false);
        return t;
    }

    @Test
    void writesRunLengthCodedTables() {
        ByteBuf out = Unpooled.buffer();
        video().write(new BoxWriter(out), 48, false);
        Golden.assertBytes("""
                00000018 73747473 00000000  // stts (§8.6.1.2)
                00000001                    // entry_count
                00000005 00000028           // 5 samples of 40
                00000030 63747473 00000000  // ctts, version 0: no offset is negative
                00000004                    // entry_count
                00000001 00000028           // 1 sample, offset 40 (I)
                00000001 00000078           // 1 sample, offset 120 (P)
                00000002 00000028           // 2 samples, offset 40 (B B)
                00000001 00000000           // 1 sample, offset 0 (P)
                00000014 73747373 00000000  // stss (§8.6.2)
                00000001 00000001           // one sync sample: sample 1
                00000028 7374737a 00000000  // stsz (§8.7.3.2)
                00000000 00000005           // sample_size 0: one per sample; sample_count
                00000064 00000014 0000000a 0000000a 0000001e
                00000028 73747363 00000000  // stsc (§8.7.4)
                00000002                    // entry_count
                00000001 00000003 00000001  // from chunk 1: 3 samples, description 1
                00000002 00000002 00000001  // from chunk 2: 2 samples
                00000018 7374636f 00000000  // stco (§8.7.5)
                00000002                    // entry_count
                00000030 00000418           // 48 + 0, 48 + 1000
                """, out);
        out.release();
    }

    @Test
    void writesCo64WhenAskedAndNegativeOffsetsAsVersion1() {
        SampleTable t = new SampleTable();
        t.startChunk(0x1_0000_0000L);
        t.add(7, 10, -10, true);
        t.add(7, 10, -10, true);
        ByteBuf out = Unpooled.buffer();
        t.write(new BoxWriter(out), 8, true);
        Golden.assertBytes("""
                00000018 73747473 00000000 00000001 00000002 0000000a  // stts: 2 samples of 10
                00000018 63747473 01000000  // ctts version 1: signed offsets
                00000001 00000002 fffffff6  // 2 samples, offset -10
                00000014 7374737a 00000000  // stsz, no stss: every sample is a sync sample
                00000007 00000002           // sample_size 7 for all; sample_count
                0000001c 73747363 00000000 00000001 00000001 00000002 00000001  // stsc
                00000018 636f3634 00000000  // co64 (§8.7.5)
                00000001 0000000100000008   // one 64-bit offset: 8 + 2^32
                """, out);
        out.release();
    }

    @Test
    void editListsKeepTheAudioVideoOffsetAndStartBFrameVideoAtItsFirstPresentedFrame() {
        // Video presents from 40 ms (its first composition offset); audio starts at 60 ms.
        SampleTable audio = new SampleTable();
        audio.startChunk(170);
        for (int i = 0; i < 3; i++) {
            audio.add(6, 1024, 0, true);
        }
        List<ProgressiveTrack> tracks = List.of(
                new ProgressiveTrack(1, true, 1000, 320, 240, STSD, video(), 0),
                new ProgressiveTrack(2, false, 48000, 0, 0, STSD, audio, 2880));
        ByteBuf moov = ProgressiveMovieEncoder.encode(tracks, 0, false, ALLOC);
        try {
            Golden.assertBytes("""
                    0000001c 656c7374 00000000 00000001  // elst of video: one edit
                    000000a0 00000028 0001 0000          // 160 ms of media from media time 40, rate 1
                    """, box(moov, "elst", 0));
            Golden.assertBytes("""
                    00000028 656c7374 00000000 00000002  // elst of audio: two edits
                    00000014 ffffffff 0001 0000          // 20 ms empty: audio starts 20 ms after video
                    00000040 00000000 0001 0000          // 64 ms of media from 0
                    """, box(moov, "elst", 1));
            ByteBuf mvhd = box(moov, "mvhd", 0);
            assertEquals(160, mvhd.getInt(24), "movie duration: the longest track, edits included");
            assertEquals(0x200, moov.getInt(12), "ftyp minor version");
            assertEquals("isom", BoxWriter.fourCcString(moov.getInt(8)));
        } finally {
            moov.release();
        }
    }

    @Test
    void aTrackStartingAtZeroWithoutOffsetsHasNoEditList() {
        SampleTable audio = new SampleTable();
        audio.startChunk(0);
        audio.add(6, 1024, 0, true);
        ByteBuf moov = ProgressiveMovieEncoder.encode(List.of(new ProgressiveTrack(1, false, 48000, 0, 0, STSD, audio, 0)),
                0, false, ALLOC);
        try {
            assertFalse(ByteBufUtil.hexDump(moov).contains("656c7374"));
            assertTrue(ProgressiveMovieEncoder.needsCo64(100, 0xFFFF_FFFFL));
            assertFalse(ProgressiveMovieEncoder.needsCo64(100, 1000));
        } finally {
            moov.release();
        }
    }

    /** Returns a slice of the {@code n}th box of {@code type} in {@code buf} (found by its type bytes). */
    private static ByteBuf box(ByteBuf buf, String type, int n) {
        int code = BoxWriter.fourCc(type);
        for (int i = 4; i + 4 <= buf.writerIndex(); i++) {
            if (buf.getInt(i) == code && n-- == 0) {
                return buf.slice(i - 4, buf.getInt(i - 4));
            }
        }
        throw new AssertionError("no " + type);
    }
}

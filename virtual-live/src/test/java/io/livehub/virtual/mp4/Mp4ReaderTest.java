package io.livehub.virtual.mp4;

import static io.livehub.virtual.mp4.Mp4Bytes.audioEntry;
import static io.livehub.virtual.mp4.Mp4Bytes.avcC;
import static io.livehub.virtual.mp4.Mp4Bytes.box;
import static io.livehub.virtual.mp4.Mp4Bytes.cat;
import static io.livehub.virtual.mp4.Mp4Bytes.esds;
import static io.livehub.virtual.mp4.Mp4Bytes.ftyp;
import static io.livehub.virtual.mp4.Mp4Bytes.fullBox;
import static io.livehub.virtual.mp4.Mp4Bytes.hex;
import static io.livehub.virtual.mp4.Mp4Bytes.mvhd;
import static io.livehub.virtual.mp4.Mp4Bytes.stsd;
import static io.livehub.virtual.mp4.Mp4Bytes.trak;
import static io.livehub.virtual.mp4.Mp4Bytes.u32;
import static io.livehub.virtual.mp4.Mp4Bytes.visualEntry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.virtual.UnsupportedMediaException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Reads small MP4 files built box by box, with every field written out. */
class Mp4ReaderTest {

    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    /** One frame as the test compares it: track codec, dts, pts, keyframe, payload hex. */
    private record F(CodecId codec, long dts, long pts, boolean key, String payload) {
        static F of(MediaFrame f) {
            try {
                return new F(f.track().codec(), f.dts(), f.pts(), f.isKeyframe(), ByteBufUtil.hexDump(f.content()));
            } finally {
                f.release();
            }
        }
    }

    private static Mp4Reader open(byte[] file) throws IOException {
        return Mp4Reader.open(RandomAccessInput.of(file), "test.mp4", Mp4Limits.defaults(), ALLOC, null);
    }

    private static List<F> readAll(Mp4Reader r) throws IOException {
        List<F> out = new ArrayList<>();
        MediaFrame f;
        while ((f = r.next()) != null) {
            out.add(F.of(f));
        }
        return out;
    }

    /** Builds ftyp + moov + mdat, the moov made by {@code moov} from the mdat payload's offset. */
    private static byte[] progressive(IntFunction<byte[]> moov, byte[] mdatPayload) {
        byte[] probe = moov.apply(0);
        int base = ftyp().length + probe.length + 8;
        return cat(ftyp(), moov.apply(base), box("mdat", mdatPayload));
    }

    /** H.264 video (timescale 1000) and AAC audio (44100) with edit lists, interleaved in two chunks. */
    private static byte[] avcAndAac(int base) {
        byte[] video = trak(1, 1000, "vide",
                fullBox("elst", 0, 0, hex("00000001"      // entry_count
                        + "00000078 00000028 00010000")), // 120 ms, media_time 40, rate 1.0
                cat(stsd(visualEntry("avc1", avcC(4))),
                        fullBox("stts", 0, 0, hex("00000001 00000003 00000028")),   // 3 samples of 40
                        fullBox("ctts", 0, 0, hex("00000003"                        // entry_count
                                + "00000001 00000050"                               // 1 sample, +80
                                + "00000001 00000000"                               // 1 sample, 0
                                + "00000001 00000028")),                            // 1 sample, +40
                        fullBox("stsc", 0, 0, hex("00000001 00000001 00000002 00000001")), // 2 per chunk
                        fullBox("stsz", 0, 0, hex("00000000 00000003 00000006 00000006 00000006")),
                        fullBox("stco", 0, 0, u32(2), u32(base), u32(base + 20)),
                        fullBox("stss", 0, 0, hex("00000001 00000001"))));        // sample 1 is sync
        byte[] audio = trak(2, 44100, "soun",
                fullBox("elst", 0, 0, hex("00000001 00000078 00000400 00010000")), // media_time 1024
                cat(stsd(audioEntry("mp4a", esds())),
                        fullBox("stts", 0, 0, hex("00000001 00000002 00000400")),  // 2 samples of 1024
                        fullBox("stsc", 0, 0, hex("00000001 00000001 00000002 00000001")),
                        fullBox("stsz", 0, 0, hex("00000004 00000002")),           // 2 samples of 4 bytes
                        fullBox("stco", 0, 0, u32(1), u32(base + 12))));
        return box("moov", mvhd(), video, audio);
    }

    private static final byte[] AVC_AAC_MDAT = hex(
            "00000002 6588"     // video 0: IDR slice
            + "00000002 419a"   // video 1
            + "21000001"        // audio 0
            + "21000002"        // audio 1
            + "00000002 019e"); // video 2

    @Test
    void readsProgressiveAvcAndAacInDecodeOrderWithEditListsApplied() throws IOException {
        try (Mp4Reader r = open(progressive(Mp4ReaderTest::avcAndAac, AVC_AAC_MDAT))) {
            assertFalse(r.isFragmented());
            Track video = r.tracks().get(0);
            Track audio = r.tracks().get(1);
            assertEquals(CodecId.H264, video.codec());
            assertEquals(new Timebase(1, 1000), video.timebase());
            assertEquals(320, video.width());
            assertEquals(0xFF, video.config()[4] & 0xFF, "lengthSizeMinusOne 3, as frames have 4-byte lengths");
            assertEquals(CodecId.AAC, audio.codec());
            assertEquals(44100, audio.sampleRate());
            assertEquals(2, audio.channels());
            assertArrayEquals(hex("1210"), audio.config());

            assertEquals(List.of(
                    new F(CodecId.H264, -40, 40, true, "000000026588"),
                    new F(CodecId.AAC, -1024, -1024, true, "21000001"),
                    new F(CodecId.H264, 0, 0, false, "00000002419a"),
                    new F(CodecId.AAC, 0, 0, true, "21000002"),
                    new F(CodecId.H264, 40, 80, false, "00000002019e")), readAll(r));
            assertNull(r.next());
        }
    }

    @Test
    void rewindPlaysTheSameFramesWithTheSameTracks() throws IOException {
        try (Mp4Reader r = open(progressive(Mp4ReaderTest::avcAndAac, AVC_AAC_MDAT))) {
            MediaFrame first = r.next();
            Track t = first.track();
            List<F> pass1 = new ArrayList<>(List.of(F.of(first)));
            pass1.addAll(readAll(r));
            r.rewind();
            MediaFrame again = r.next();
            assertSame(t, again.track(), "tracks keep their identity, so no sequence header is re-sent");
            List<F> pass2 = new ArrayList<>(List.of(F.of(again)));
            pass2.addAll(readAll(r));
            assertEquals(pass1, pass2);
        }
    }

    @Test
    void widensTwoByteNalLengthsAndReadsSignedVersion1CompositionOffsets() throws IOException {
        byte[] file = progressive(base -> box("moov", mvhd(), trak(1, 90000, "vide", null,
                cat(stsd(visualEntry("avc1", avcC(2))),
                        fullBox("stts", 0, 0, hex("00000001 00000002 00000e10")),  // 2 samples of 3600
                        fullBox("ctts", 1, 0, hex("00000002"
                                + "00000001 00000e10"                              // +3600
                                + "00000001 fffff1f0")),                           // -3600, signed in v1
                        fullBox("stsc", 0, 0, hex("00000001 00000001 00000002 00000001")),
                        fullBox("stz2", 0, 0, hex("00000010 00000002 0004 0004")), // 16-bit sizes: 4, 4
                        fullBox("co64", 0, 0, u32(1), u32(0), u32(base))))),
                hex("0002 6588" + "0002 419a"));
        try (Mp4Reader r = open(file)) {
            assertEquals(List.of(
                    new F(CodecId.H264, 0, 3600, true, "000000026588"),
                    new F(CodecId.H264, 3600, 0, true, "00000002419a")), readAll(r));
        }
    }

    @Test
    void seeksAProgressiveFileToTheLastSyncSampleBeforeTheOffset() throws IOException {
        byte[] file = progressive(base -> box("moov", mvhd(), trak(1, 1000, "vide", null,
                cat(stsd(visualEntry("avc1", avcC(4))),
                        fullBox("stts", 0, 0, hex("00000001 00000004 00000028")),   // 4 samples of 40 ms
                        fullBox("stsc", 0, 0, hex("00000001 00000001 00000004 00000001")),
                        fullBox("stsz", 0, 0, hex("00000006 00000004")),            // 4 samples of 6 bytes
                        fullBox("stco", 0, 0, u32(1), u32(base)),
                        fullBox("stss", 0, 0, hex("00000002 00000001 00000003"))))), // samples 1 and 3 sync
                hex("00000002 6588 00000002 419a 00000002 6588 00000002 419a"));
        try (Mp4Reader r = open(file)) {
            assertEquals(0, r.seekNear(90_000).getAsLong(), "the origin is the first frame's time");
            assertEquals(List.of(
                    new F(CodecId.H264, 80, 80, true, "000000026588"),
                    new F(CodecId.H264, 120, 120, false, "00000002419a")), readAll(r));
            r.seekNear(30_000);
            assertEquals(4, readAll(r).size(), "from the sync sample at 0");
        }
    }

    @Test
    void readsFourBitCompactSampleSizes() throws IOException {
        byte[] file = progressive(base -> box("moov", mvhd(), trak(1, 44100, "soun", null,
                cat(stsd(audioEntry("mp4a", esds())),
                        fullBox("stts", 0, 0, hex("00000001 00000003 00000400")),
                        fullBox("stsc", 0, 0, hex("00000001 00000001 00000003 00000001")),
                        fullBox("stz2", 0, 0, hex("00000004 00000003 21 30")),   // 4-bit sizes: 2, 1, 3
                        fullBox("stco", 0, 0, u32(1), u32(base))))),
                hex("aabb cc ddeeff"));
        try (Mp4Reader r = open(file)) {
            assertEquals(List.of(
                    new F(CodecId.AAC, 0, 0, true, "aabb"),
                    new F(CodecId.AAC, 1024, 1024, true, "cc"),
                    new F(CodecId.AAC, 2048, 2048, true, "ddeeff")), readAll(r));
        }
    }

    @Test
    void turnsDopsIntoOpusHead() throws IOException {
        byte[] dops = box("dOps", hex("00 02 0138 0000bb80 0000 00")); // v0, 2 ch, pre-skip 312, 48 kHz, family 0
        byte[] file = progressive(base -> box("moov", mvhd(), trak(1, 48000, "soun", null,
                cat(stsd(audioEntry("Opus", dops)),
                        fullBox("stts", 0, 0, hex("00000001 00000001 000003c0")),
                        fullBox("stsc", 0, 0, hex("00000001 00000001 00000001 00000001")),
                        fullBox("stsz", 0, 0, hex("00000003 00000001")),
                        fullBox("stco", 0, 0, u32(1), u32(base))))),
                hex("fc fffe"));
        try (Mp4Reader r = open(file)) {
            Track t = r.tracks().get(0);
            assertEquals(CodecId.OPUS, t.codec());
            // RFC 7845 5.1: "OpusHead", version 1, 2 channels, pre-skip 312 LE, 48000 LE, gain 0, family 0.
            assertArrayEquals(hex("4f70757348656164 01 02 3801 80bb0000 0000 00"), t.config());
            assertEquals(List.of(new F(CodecId.OPUS, 0, 0, true, "fcfffe")), readAll(r));
        }
    }

    @Test
    void refusesUnsupportedCodecsByName() {
        byte[] vp9 = progressive(base -> box("moov", mvhd(), trak(1, 1000, "vide", null,
                stsd(visualEntry("vp09", box("vpcC", hex("01000000")))))), new byte[0]);
        UnsupportedMediaException e = assertThrows(UnsupportedMediaException.class, () -> open(vp9));
        assertEquals("unsupported video codec 'vp09' in test.mp4", e.getMessage());

        byte[] ac3 = progressive(base -> box("moov", mvhd(), trak(1, 48000, "soun", null,
                stsd(audioEntry("ac-3", box("dac3", hex("000000")))))), new byte[0]);
        e = assertThrows(UnsupportedMediaException.class, () -> open(ac3));
        assertEquals("unsupported audio codec 'ac-3' in test.mp4", e.getMessage());

        byte[] mp3 = progressive(base -> box("moov", mvhd(), trak(1, 44100, "soun", null,
                stsd(audioEntry("mp4a", fullBox("esds", 0, 0, hex("03 12 0001 00"
                        + "04 0d 6b 15 000000 00000000 00000000")))))), new byte[0]); // object type 0x6b
        e = assertThrows(UnsupportedMediaException.class, () -> open(mp3));
        assertEquals("unsupported audio codec 'mp3' in test.mp4", e.getMessage());
    }

    @Test
    void readsFragmentsWithTrexDefaultsAndDefaultBaseIsMoof() throws IOException {
        byte[] moov = box("moov", mvhd(), trak(1, 1000, "vide", null,
                        cat(stsd(visualEntry("avc1", avcC(4))),
                                fullBox("stts", 0, 0, hex("00000000")),
                                fullBox("stsc", 0, 0, hex("00000000")),
                                fullBox("stsz", 0, 0, hex("00000000 00000000")),
                                fullBox("stco", 0, 0, hex("00000000")))),
                box("mvex", fullBox("trex", 0, 0, hex("00000001"   // track_ID 1
                        + "00000001 00000028 00000000"            // description 1, duration 40, size 0
                        + "00010000"))));                          // flags: non-sync
        IntFunction<byte[]> moof = dataOffset -> box("moof",
                fullBox("mfhd", 0, 0, hex("00000001")),
                box("traf",
                        fullBox("tfhd", 0, 0x020000, hex("00000001")),     // default-base-is-moof, track 1
                        fullBox("tfdt", 1, 0, hex("00000000000003e8")),    // base decode time 1000
                        fullBox("trun", 1, 0x000A05, u32(2),              // data offset, first flags, size, cts
                                u32(dataOffset),
                                hex("02000000"                             // first sample: depends on none, sync
                                        + "00000006 00000028"              // 6 bytes, cts +40
                                        + "00000006 ffffffd8"))));         // 6 bytes, cts -40 (signed, v1)
        int moofSize = moof.apply(0).length;
        byte[] file = cat(ftyp(), moov, moof.apply(moofSize + 8), box("mdat", hex("00000002 6588 00000002 419a")));
        try (Mp4Reader r = open(file)) {
            assertTrue(r.isFragmented());
            assertEquals(List.of(
                    new F(CodecId.H264, 1000, 1040, true, "000000026588"),
                    new F(CodecId.H264, 1040, 1000, false, "00000002419a")), readAll(r));
            r.rewind();
            assertEquals(2, readAll(r).size(), "fragments are found again after a rewind");
        }
    }

    @Test
    void refusesCountsAndOffsetsTheFileCannotHold() {
        byte[] tooMany = progressive(base -> box("moov", mvhd(), trak(1, 1000, "vide", null,
                cat(stsd(visualEntry("avc1", avcC(4))),
                        fullBox("stsz", 0, 0, hex("00000000 7fffffff")),   // 2^31-1 sizes claimed
                        fullBox("stts", 0, 0, hex("00000000"))))), new byte[0]);
        MalformedMediaException e = assertThrows(MalformedMediaException.class, () -> open(tooMany));
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());

        byte[] claims = progressive(base -> box("moov", mvhd(), trak(1, 1000, "vide", null,
                cat(stsd(visualEntry("avc1", avcC(4))),
                        fullBox("stsz", 0, 0, hex("00000000 00000002 00000006 00000006")),
                        fullBox("stts", 0, 0, hex("10000000 00000002 00000028")), // 2^28 entries claimed
                        fullBox("stsc", 0, 0, hex("00000001 00000001 00000002 00000001")),
                        fullBox("stco", 0, 0, u32(1), u32(base))))), hex("00000002 6588 00000002 419a"));
        e = assertThrows(MalformedMediaException.class, () -> open(claims));
        assertTrue(e.getMessage().contains("claims 268435456 entries"), e.getMessage());

        byte[] beyond = progressive(base -> box("moov", mvhd(), trak(1, 1000, "vide", null,
                cat(stsd(visualEntry("avc1", avcC(4))),
                        fullBox("stsz", 0, 0, hex("00000000 00000001 00100000")),  // a 1 MiB sample
                        fullBox("stts", 0, 0, hex("00000001 00000001 00000028")),
                        fullBox("stsc", 0, 0, hex("00000001 00000001 00000001 00000001")),
                        fullBox("stco", 0, 0, u32(1), u32(base))))), hex("00000002 6588"));
        e = assertThrows(MalformedMediaException.class, () -> open(beyond));
        assertTrue(e.getMessage().contains("beyond the end of the file"), e.getMessage());

        byte[] noMoov = cat(ftyp(), box("mdat", hex("00")));
        e = assertThrows(MalformedMediaException.class, () -> open(noMoov));
        assertEquals("no movie box (moov) in test.mp4", e.getMessage());
    }

    @Test
    void readsBoxHeaders() throws IOException {
        RandomAccessInput in = RandomAccessInput.of(hex(
                "00000010 66726565 0000000000000000"                    // 'free', 16 bytes
                + "00000001 6d646174 0000000000000018 0102030405060708" // 'mdat' with a 64-bit size of 24
                + "00000000 736b6970 aabbcc"));                         // 'skip', size 0: to the end
        BoxHeader free = BoxHeader.read(in, 0, in.size());
        assertEquals("free", BoxHeader.name(free.type()));
        assertEquals(16, free.size());
        assertEquals(8, free.headerSize());
        BoxHeader mdat = BoxHeader.read(in, free.end(), in.size());
        assertEquals(16, mdat.headerSize());
        assertEquals(24, mdat.size());
        assertEquals(8, mdat.contentSize());
        BoxHeader skip = BoxHeader.read(in, mdat.end(), in.size());
        assertEquals(11, skip.size());

        RandomAccessInput small = RandomAccessInput.of(hex("00000004 66726565"));  // smaller than its header
        assertThrows(MalformedMediaException.class, () -> BoxHeader.read(small, 0, small.size()));
        RandomAccessInput big = RandomAccessInput.of(hex("00000100 66726565"));    // past the end
        assertThrows(MalformedMediaException.class, () -> BoxHeader.read(big, 0, big.size()));
        RandomAccessInput cut = RandomAccessInput.of(hex("00000001 6d646174 0000"));  // 64-bit size cut short
        assertThrows(MalformedMediaException.class, () -> BoxHeader.read(cut, 0, cut.size()));
    }

    @Test
    void editShiftAddsLeadingEmptyEditsAndSubtractsTheMediaTime() {
        // Movie timescale 1000, media 90000: an empty edit of 100 ms, then media from 3000.
        BoxData elst = new BoxData(hex("00000000 00000002"
                + "00000064 ffffffff 00010000"    // 100 ms empty (media_time -1)
                + "000003e8 00000bb8 00010000"), "elst"); // 1 s from media time 3000
        assertEquals(9000 - 3000, Mp4Reader.editShift(elst, 1000, 90000));
    }
}

package io.livehub.isobmff;

import io.livehub.testing.FlvFrames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.opus.OpusHead;
import io.livehub.media.CodecId;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitSegmentEncoderTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void writesTheInitFileTypeBox() {
        ByteBuf out = Unpooled.buffer();
        try {
            FileType.INIT.writeFtyp(out);
            Golden.assertBytes("""
                    00000020 66747970   // size 32, 'ftyp'
                    69736f36            // major_brand 'iso6'
                    00000000            // minor_version 0
                    69736f36            // compatible_brands: 'iso6'
                    636d6663            //   'cmfc'
                    69736f6d            //   'isom'
                    6d703431            //   'mp41'
                    """, out);
            assertEquals(32, FileType.INIT.length());
        } finally {
            out.release();
        }
    }

    @Test
    void writesTheSegmentTypeBox() {
        ByteBuf out = Unpooled.buffer();
        try {
            FileType.SEGMENT.writeStyp(out);
            Golden.assertBytes("""
                    0000001c 73747970   // size 28, 'styp'
                    6d736468            // major_brand 'msdh'
                    00000000            // minor_version 0
                    6d736468            // compatible_brands: 'msdh'
                    636d6673            //   'cmfs'
                    636d6666            //   'cmff'
                    """, out);
        } finally {
            out.release();
        }
    }

    @Test
    void writesTheMovieHeader() {
        ByteBuf out = Unpooled.buffer();
        try {
            InitSegmentEncoder.writeMvhd(new BoxWriter(out), 3);
            Golden.assertBytes("""
                    0000006c 6d766864   // size 108, 'mvhd'
                    00 000000           // version 0, flags 0
                    00000000            // creation_time
                    00000000            // modification_time
                    000003e8            // timescale 1000
                    00000000            // duration 0: unknown while live
                    00010000            // rate 1.0
                    0100                // volume 1.0
                    0000                // reserved
                    00000000 00000000   // reserved[2]
                    00010000 00000000 00000000   // matrix: unity
                    00000000 00010000 00000000
                    00000000 00000000 40000000
                    00000000 00000000 00000000   // pre_defined[6]
                    00000000 00000000 00000000
                    00000003            // next_track_ID
                    """, out);
        } finally {
            out.release();
        }
    }

    @Test
    void writesEsdsWithTheAudioSpecificConfig() {
        ByteBuf out = Unpooled.buffer();
        try {
            byte[] asc = AudioSpecificConfig.of(AudioSpecificConfig.AOT_AAC_LC, 44100, 1).encode();
            assertArrayEquals(new byte[] {0x12, 0x08}, asc);
            SampleEntryWriter.esds(new BoxWriter(out), SampleEntryWriter.OTI_MPEG4_AUDIO, asc);
            Golden.assertBytes("""
                    00000027 65736473   // size 39, 'esds'
                    00 000000           // version 0, flags 0
                    03 19               // ES_Descriptor, 25 bytes
                    0000                //   ES_ID 0
                    00                  //   no dependency, URL or OCR; priority 0
                    04 11               //   DecoderConfigDescriptor, 17 bytes
                    40                  //     objectTypeIndication: MPEG-4 audio
                    15                  //     streamType 5 (audio) << 2, upStream 0, reserved 1
                    000000              //     bufferSizeDB
                    00000000            //     maxBitrate
                    00000000            //     avgBitrate
                    05 02               //     DecoderSpecificInfo, 2 bytes
                    1208                //       AudioSpecificConfig: AAC LC, 44100 Hz, mono
                    06 01               //   SLConfigDescriptor, 1 byte
                    02                  //     predefined 2: MP4
                    """, out);
        } finally {
            out.release();
        }
    }

    @Test
    void convertsOpusHeadToBigEndianDopsWithoutMagic() {
        OpusHead stereo = OpusHead.of(2, 312, 48000);
        Golden.assertBytes("""
                00                  // Version 0
                02                  // OutputChannelCount
                0138                // PreSkip 312, big-endian
                0000bb80            // InputSampleRate 48000
                0000                // OutputGain 0
                00                  // ChannelMappingFamily 0: no table
                """, SampleEntryWriter.dOps(stereo));
        OpusHead surround = OpusHead.of(6, 312, 48000);
        Golden.assertBytes("""
                00 06 0138 0000bb80 0000   // Version, 6 channels, PreSkip, InputSampleRate, OutputGain
                01                  // ChannelMappingFamily 1: Vorbis order
                04                  // StreamCount
                02                  // CoupledCount
                000401020305        // ChannelMapping
                """, SampleEntryWriter.dOps(surround));
    }

    @Test
    void setsFourByteNalLengthsInAvcC() {
        byte[] sps = {0x67, 0x42, (byte) 0xC0, 0x1E};
        byte[] pps = {0x68, (byte) 0xCE, 0x38, (byte) 0x80};
        AvcDecoderConfigurationRecord twoByte = new AvcDecoderConfigurationRecord(0x42, 0xC0, 0x1E, 2,
                List.of(sps), List.of(pps), null);
        byte[] rewritten = SampleEntryWriter.withFourByteLengths(twoByte.encode(), 4);
        assertEquals(4, AvcDecoderConfigurationRecord.parse(rewritten).nalUnitLengthSize());
    }

    @Test
    void describesEveryTrackOfRealStreams() throws Exception {
        for (String file : List.of("h264_aac.flv", "hevc_opus.flv", "av1.flv")) {
            try (FlvFrames flv = FlvFrames.read(file)) {
                List<IsoTrack> tracks = IsoTrack.of(flv.tracks);
                ByteBuf init = InitSegmentEncoder.encode(tracks, ALLOC);
                try {
                    checkInitSegment(tracks, BoxReader.parse(init));
                } finally {
                    init.release();
                }
            }
        }
    }

    /** Checks the box tree of an init segment against the tracks it describes. */
    static void checkInitSegment(List<IsoTrack> tracks, List<BoxReader.Box> boxes) {
        assertEquals(List.of("ftyp", "moov"), BoxReader.types(boxes));
        BoxReader.Box moov = boxes.get(1);
        assertEquals(tracks.size() + 2, moov.children().size());
        assertEquals("mvhd", moov.children().get(0).type());
        assertEquals("mvex", moov.children().get(moov.children().size() - 1).type());
        ByteBuffer mvhd = moov.find("mvhd").data();
        assertEquals(tracks.size() + 1, mvhd.getInt(96), "next_track_ID");
        List<BoxReader.Box> traks = moov.findAll("trak");
        List<BoxReader.Box> trexs = moov.findAll("mvex/trex");
        assertEquals(tracks.size(), traks.size());
        assertEquals(tracks.size(), trexs.size());
        for (int i = 0; i < tracks.size(); i++) {
            IsoTrack t = tracks.get(i);
            Track track = t.track();
            boolean video = track.kind() == TrackKind.VIDEO;
            BoxReader.Box trak = traks.get(i);
            assertEquals(List.of("tkhd", "mdia"), trak.childTypes());
            ByteBuffer tkhd = trak.find("tkhd").data();
            assertEquals(3, tkhd.getInt(0), "version 0, enabled and in movie");
            assertEquals(t.trackId(), tkhd.getInt(12));
            assertEquals(video ? track.width() << 16 : 0, tkhd.getInt(76));
            assertEquals(video ? track.height() << 16 : 0, tkhd.getInt(80));
            assertEquals(video ? 0 : 0x0100, tkhd.getShort(36), "volume");
            assertEquals(List.of("mdhd", "hdlr", "minf"), trak.find("mdia").childTypes());
            ByteBuffer mdhd = trak.find("mdia/mdhd").data();
            assertEquals(t.timescale(), mdhd.getInt(12));
            assertEquals(0x55C4, mdhd.getShort(20), "language und");
            assertEquals(video ? "vide" : "soun", new String(trak.find("mdia/hdlr").payload(), 8, 4));
            assertEquals(List.of(video ? "vmhd" : "smhd", "dinf", "stbl"), trak.find("mdia/minf").childTypes());
            assertEquals(List.of("url "), trak.find("mdia/minf/dinf/dref").childTypes());
            BoxReader.Box stbl = trak.find("mdia/minf/stbl");
            assertEquals(List.of("stsd", "stts", "stsc", "stsz", "stco"), stbl.childTypes());
            BoxReader.Box entry = stbl.find("stsd").children().get(0);
            checkSampleEntry(track, entry);
            ByteBuffer trex = trexs.get(i).data();
            assertEquals(t.trackId(), trex.getInt(4));
            assertEquals(1, trex.getInt(8), "default_sample_description_index");
        }
    }

    private static void checkSampleEntry(Track track, BoxReader.Box entry) {
        ByteBuffer d = entry.data();
        assertEquals(1, d.getShort(6), "data_reference_index");
        byte[] config = track.config();
        switch (track.codec()) {
            case H264, H265 -> {
                assertEquals(track.codec() == CodecId.H264 ? "avc1" : "hvc1", entry.type());
                assertEquals(track.width(), d.getShort(24));
                assertEquals(track.height(), d.getShort(26));
                BoxReader.Box cfg = entry.find(track.codec() == CodecId.H264 ? "avcC" : "hvcC");
                int lengthSizeIndex = track.codec() == CodecId.H264 ? 4 : 21;
                assertEquals(3, cfg.payload()[lengthSizeIndex] & 3, "lengthSizeMinusOne");
                assertArrayEquals(config, cfg.payload(), "the ingest already stores 4-byte lengths");
            }
            case AV1 -> {
                assertEquals("av01", entry.type());
                assertEquals(track.width(), d.getShort(24));
                assertArrayEquals(config, entry.find("av1C").payload());
            }
            case AAC -> {
                assertEquals("mp4a", entry.type());
                assertEquals(track.channels(), d.getShort(16));
                assertEquals(track.sampleRate(), d.getInt(24) >>> 16);
                byte[] esds = entry.find("esds").payload();
                byte[] tail = Arrays.copyOfRange(esds, esds.length - 3 - config.length - 2, esds.length - 3);
                assertEquals(0x05, tail[0], "DecoderSpecificInfo tag");
                assertEquals(config.length, tail[1]);
                assertArrayEquals(config, Arrays.copyOfRange(tail, 2, tail.length));
            }
            case MP3 -> {
                assertEquals("mp4a", entry.type());
                assertEquals(track.sampleRate(), d.getInt(24) >>> 16);
                byte[] esds = entry.find("esds").payload();
                assertEquals(0x04, esds[9], "DecoderConfigDescriptor right after the ES_Descriptor fields");
                assertEquals(SampleEntryWriter.OTI_MPEG1_AUDIO, esds[11], "objectTypeIndication: MPEG-1 audio");
                assertEquals(0x06, esds[esds.length - 3], "no DecoderSpecificInfo, then the SLConfigDescriptor");
            }
            case OPUS -> {
                assertEquals("Opus", entry.type());
                OpusHead head = OpusHead.parse(config);
                assertEquals(head.channelCount(), d.getShort(16));
                assertEquals(48000, d.getInt(24) >>> 16);
                assertArrayEquals(SampleEntryWriter.dOps(head), entry.find("dOps").payload());
            }
            default -> throw new AssertionError(track);
        }
    }

    @Test
    void choosesTimescales() {
        Track ms = Track.builder(CodecId.AAC).timebase(Timebase.MILLIS).audio(44100, 2)
                .config(AudioSpecificConfig.of(2, 44100, 2).encode()).build();
        assertEquals(1000, IsoTrack.defaultTimescale(ms));
        Track ntsc = ms.toBuilder().timebase(new Timebase(1001, 30000)).build();
        assertEquals(44100, IsoTrack.defaultTimescale(ntsc));
        Track opus = Track.builder(CodecId.OPUS).timebase(Timebase.MILLIS).config(OpusHead.of(2, 312, 48000).encode())
                .build();
        assertEquals(48000, IsoTrack.defaultTimescale(opus));
        assertEquals(96, IsoTrack.of(opus, 1).toMediaTime(2), "ms convert exactly to 48 kHz");
        Track mpegTs = Track.builder(CodecId.H264).timebase(Timebase.MPEG_90K).build();
        assertEquals(90000, IsoTrack.defaultTimescale(mpegTs));
    }

    @Test
    void refusesTracksItCannotDescribe() {
        Track noConfig = Track.builder(CodecId.H264).build();
        assertThrows(IllegalArgumentException.class, () -> IsoTrack.of(noConfig, 1));
        Track vp9 = Track.builder(CodecId.VP9).config(new byte[] {1}).build();
        assertThrows(IllegalArgumentException.class, () -> IsoTrack.of(vp9, 1));
        assertThrows(IllegalArgumentException.class, () -> InitSegmentEncoder.encode(List.of(), ALLOC));
    }
}

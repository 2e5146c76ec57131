package io.livehub.isobmff;

import io.livehub.testing.FlvFrames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.av1.Av1CodecConfigurationRecord;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h265.HevcDecoderConfigurationRecord;
import io.livehub.media.MediaFrame;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Writes the real frames of the FLV test files ({@code io.livehub.flv}, see FlvFileTest for how
 * they were made) as an init segment and fragments cut the way an LL-HLS muxer cuts them, and
 * checks the file with ffprobe and ffmpeg and by reading it back.
 *
 * <p>Expected codecs parameters agree with what ffprobe reports of the written files: H.264 High
 * 4:4:4 Predictive (profile_idc 244) level_idc 11, AAC LC, MP3 (mp4a with object type 0x6B); HEVC Main, general_level_idc 30
 * (level 1), constraint flags byte 0x90, Opus; AV1 Main, seq_level_idx 0, 8 bits. The test also derives them from the
 * configuration boxes read back from the file and checks the level against ffprobe's.
 */
@Tag("interop")
class FragmentedMp4InteropTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    /** A part every this many frames of the leading track, as an LL-HLS muxer would cut ~200 ms parts. */
    private static final int FRAMES_PER_PART = 5;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "h264_aac.flv,  h264, aac,  'avc1.f4000b,mp4a.40.2'",
        "hevc_opus.flv, hevc, opus, 'hvc1.1.6.L30.90,opus'",
        "h264_mp3.flv,  h264, mp3,  'avc1.f4000b,mp4a.40.34'",
        "av1.flv,       av1,  ,     av01.0.00M.08",
    })
    void writesAFileFfmpegReadsFrameForFrame(String name, String videoCodec, String audioCodec, String codecs)
            throws Exception {
        try (FlvFrames flv = FlvFrames.read(name)) {
            List<IsoTrack> tracks = IsoTrack.of(flv.tracks);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            List<ParsedFragment> fragments = new ArrayList<>();

            ByteBuf init = InitSegmentEncoder.encode(tracks, ALLOC);
            try {
                file.write(ByteBufUtil.getBytes(init));
            } finally {
                init.release();
            }
            try (FragmentBuilder builder = new FragmentBuilder(tracks)) {
                builder.startSegment();
                int framesInPart = 0;
                for (MediaFrame f : flv.frames) {
                    builder.add(f);
                    boolean lead = f.isVideo();
                    if (lead && f.isKeyframe() && builder.bufferedSamples() > 1) {
                        // A new segment opens with this keyframe: flush everything before it.
                        write(builder.flush(ALLOC), file, fragments);
                        builder.startSegment();
                        framesInPart = 0;
                    } else if (lead && ++framesInPart == FRAMES_PER_PART) {
                        write(builder.flush(ALLOC), file, fragments);
                        framesInPart = 0;
                    }
                }
                write(builder.flushAll(ALLOC), file, fragments);
            }
            assertTrue(fragments.size() >= 5, "several fragments: " + fragments.size());
            Map<Integer, Long> ends = checkReadBack(tracks, flv.frames, fragments);

            Path out = dir.resolve(name.replace(".flv", ".mp4"));
            Files.write(out, file.toByteArray());
            checkCodecStrings(tracks, BoxReader.parse(file.toByteArray()), codecs);
            checkWithFfmpeg(out, tracks, flv, ends, videoCodec, audioCodec);
        }
    }

    /** Appends {@code f} to the file unless it is null (no sample had its duration yet). */
    private static void write(Fragment f, ByteArrayOutputStream file, List<ParsedFragment> parsed) {
        if (f == null) {
            return;
        }
        try {
            byte[] bytes = ByteBufUtil.getBytes(f.content());
            file.writeBytes(bytes);
            ParsedFragment p = ParsedFragment.parse(bytes);
            assertEquals(f.startsSegment(), p.hasStyp());
            parsed.add(p);
        } finally {
            f.release();
        }
    }

    /**
     * Checks that each track's samples are its frames, byte for byte, on a gapless timeline, and
     * returns where each track's timeline ends, by {@code track_ID}.
     */
    private static Map<Integer, Long> checkReadBack(List<IsoTrack> tracks, List<MediaFrame> frames, List<ParsedFragment> fragments) {
        long expectedSequence = 1;
        Map<Integer, Long> nextTime = new HashMap<>();
        Map<Integer, List<ParsedFragment.ParsedSample>> samples = new HashMap<>();
        for (ParsedFragment p : fragments) {
            assertEquals(expectedSequence++, p.sequenceNumber());
            for (ParsedFragment.Traf t : p.trafs()) {
                Long expected = nextTime.get(t.trackId());
                if (expected != null) {
                    assertEquals(expected, t.baseMediaDecodeTime(), "tfdt continues the previous fragment");
                }
                long end = t.baseMediaDecodeTime();
                for (ParsedFragment.ParsedSample s : t.samples()) {
                    end += s.duration();
                }
                nextTime.put(t.trackId(), end);
                samples.computeIfAbsent(t.trackId(), k -> new ArrayList<>()).addAll(t.samples());
            }
        }
        for (IsoTrack t : tracks) {
            List<MediaFrame> own = frames.stream().filter(f -> f.track().id() == t.track().id()).toList();
            List<ParsedFragment.ParsedSample> written = samples.get(t.trackId());
            assertEquals(own.size(), written.size(), "samples of " + t);
            long time = t.toMediaTime(own.get(0).dts());
            for (int i = 0; i < own.size(); i++) {
                MediaFrame f = own.get(i);
                ParsedFragment.ParsedSample s = written.get(i);
                assertEquals(t.toMediaTime(f.dts()), time, "decode time of sample " + i);
                assertEquals(t.toMediaTime(f.pts()) - t.toMediaTime(f.dts()), s.compositionOffset());
                assertEquals(f.isKeyframe(), s.sync(), "sync flag of sample " + i);
                assertArrayEquals(ByteBufUtil.getBytes(f.content()), s.data(), "bytes of sample " + i);
                time += s.duration();
            }
        }
        return nextTime;
    }

    /** Checks the codecs parameters against the configuration records read back from the file. */
    private static void checkCodecStrings(List<IsoTrack> tracks, List<BoxReader.Box> file, String expected) {
        InitSegmentEncoderTest.checkInitSegment(tracks, file.subList(0, 2));
        List<String> fromFile = new ArrayList<>();
        for (BoxReader.Box trak : file.get(1).findAll("trak")) {
            BoxReader.Box entry = trak.find("mdia/minf/stbl/stsd").children().get(0);
            fromFile.add(switch (entry.type()) {
                case "avc1" -> AvcDecoderConfigurationRecord.parse(entry.find("avcC").payload()).codecString();
                case "hvc1" -> HevcDecoderConfigurationRecord.parse(entry.find("hvcC").payload()).codecString();
                case "av01" -> Av1CodecConfigurationRecord.parse(entry.find("av1C").payload()).codecString();
                case "mp4a" -> mp4aCodecString(entry.find("esds").payload());
                case "Opus" -> {
                    entry.find("dOps");
                    yield "opus";
                }
                default -> throw new AssertionError(entry.type());
            });
        }
        assertEquals(IsoTrack.codecs(tracks), String.join(",", fromFile));
        if (expected != null) {
            assertEquals(expected, IsoTrack.codecs(tracks));
        }
    }

    /** Finds the DecoderSpecificInfo, which ends 3 bytes (the SLConfigDescriptor) before the esds does. */
    private static String mp4aCodecString(byte[] esds) {
        if (esds[11] == SampleEntryWriter.OTI_MPEG1_AUDIO) {
            return "mp4a.40.34"; // MP3 has no DecoderSpecificInfo; RFC 6381 names it by this object type
        }
        for (int i = 0; i + 1 < esds.length; i++) {
            if (esds[i] == 0x05 && esds[i + 1] > 0 && i + 2 + esds[i + 1] + 3 == esds.length) {
                byte[] asc = java.util.Arrays.copyOfRange(esds, i + 2, i + 2 + esds[i + 1]);
                return AudioSpecificConfig.parse(asc).codecString();
            }
        }
        throw new AssertionError("no DecoderSpecificInfo in esds");
    }

    private void checkWithFfmpeg(Path out, List<IsoTrack> tracks, FlvFrames flv, Map<Integer, Long> ends,
            String videoCodec, String audioCodec) throws Exception {
        Ffprobe probe = Ffprobe.of(dir, out);
        Ffprobe.Stream video = probe.stream("video");
        assertNotNull(video, probe.toString());
        assertEquals(videoCodec, video.codec());
        assertEquals(160, video.width());
        assertEquals(120, video.height());
        assertEquals(flv.frames(io.livehub.media.TrackKind.VIDEO).size(), probe.packets("video").size());
        if (audioCodec != null) {
            assertEquals(audioCodec, probe.stream("audio").codec());
            assertEquals(flv.frames(io.livehub.media.TrackKind.AUDIO).size(), probe.packets("audio").size());
        } else {
            assertEquals(null, probe.stream("audio"));
        }
        assertTrue(probe.timestampsIncrease(), "decode times never go back");
        assertTrue(probe.packets("video").get(0).keyframe(), "starts with a keyframe");

        // Every packet's dts and pts in the track's timescale, as ffmpeg reads them from tfdt, the
        // trun durations and composition offsets; and the track's end, which adds the last duration.
        for (IsoTrack t : tracks) {
            String select = (t.isVideo() ? "v" : "a") + ":0";
            Map<String, String> stream = new HashMap<>();
            ExternalProcess.Result info = ExternalProcess.run(dir, 60, "ffprobe", "-v", "error", "-select_streams",
                    select, "-show_entries", "stream=codec_tag_string,level,time_base,duration_ts", "-of",
                    "default=nw=1", out.toString());
            assertEquals(0, info.exitCode(), info.describe());
            info.output().lines().map(l -> l.split("=", 2)).filter(kv -> kv.length == 2)
                    .forEach(kv -> stream.put(kv[0], kv[1].strip()));
            assertEquals("1/" + t.timescale(), stream.get("time_base"), info.describe());
            assertEquals(ends.get(t.trackId()), Long.parseLong(stream.get("duration_ts")), "end of " + t);
            String sampleEntry = t.codecString().equals("opus") ? "Opus" : t.codecString().substring(0, 4);
            assertEquals(sampleEntry, stream.get("codec_tag_string"));
            if (t.isVideo()) {
                // avc1.PPCCLL ends with level_idc in hex; hvc1.*.L<level_idc>.* and av01.P.<level>T.* are decimal.
                String c = t.codecString();
                String[] parts = c.split("\\.");
                int level = switch (parts[0]) {
                    case "avc1" -> Integer.parseInt(c.substring(c.length() - 2), 16);
                    case "hvc1" -> Integer.parseInt(c.replaceAll(".*\\.L(\\d+).*", "$1"));
                    default -> Integer.parseInt(parts[2].substring(0, 2));
                };
                assertEquals(level, Integer.parseInt(stream.get("level")), "level of " + c);
            }

            ExternalProcess.Result r = ExternalProcess.run(dir, 60, "ffprobe", "-v", "error", "-select_streams",
                    select, "-show_entries", "packet=pts,dts", "-of", "csv=p=0", out.toString());
            assertEquals(0, r.exitCode(), r.describe());
            List<String> packets = r.output().lines().filter(l -> !l.isBlank()).toList();
            List<MediaFrame> own = flv.frames.stream().filter(f -> f.track().id() == t.track().id()).toList();
            assertEquals(own.size(), packets.size(), r.describe());
            for (int i = 0; i < own.size(); i++) {
                String[] f = packets.get(i).split(",");
                MediaFrame frame = own.get(i);
                assertEquals(t.toMediaTime(frame.pts()), Long.parseLong(f[0]), "pts of packet " + i);
                assertEquals(t.toMediaTime(frame.dts()), Long.parseLong(f[1]), "dts of packet " + i);
            }
        }

        ExternalProcess.Result decode = ExternalProcess.run(dir, 120, "ffmpeg", "-v", "error", "-i", out.toString(),
                "-f", "null", "-");
        assertEquals(0, decode.exitCode(), decode.describe());
        assertEquals("", decode.output().strip(), "ffmpeg decodes without a complaint");
    }
}

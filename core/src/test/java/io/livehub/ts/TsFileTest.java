package io.livehub.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h265.H265NalUnitType;
import io.livehub.codec.h265.HevcDecoderConfigurationRecord;
import io.livehub.codec.opus.OpusHead;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Demuxes transport streams written by ffmpeg and checks them against what ffprobe says.
 *
 * <p>The files (320x240, 25 fps, 2 s) were made with ffmpeg 5.1.9 (Debian 12):
 * <pre>
 * ffmpeg -f lavfi -i testsrc=size=320x240:rate=25 -f lavfi -i sine=sample_rate=44100 -t 2 \
 *     -pix_fmt yuv420p -c:v libx264 -g 25 -c:a aac -b:a 32k -f mpegts h264_aac.ts
 * ffmpeg -f lavfi -i testsrc=size=320x240:rate=25 -f lavfi -i sine=sample_rate=48000 -t 2 \
 *     -pix_fmt yuv420p -c:v libx265 -x265-params log-level=error -g 25 -c:a libopus -b:a 24k \
 *     -f mpegts hevc_opus.ts
 * </pre>
 * {@code ffprobe -count_frames -count_packets -show_entries
 * stream=codec_name,width,height,nb_read_frames,nb_read_packets} gives h264 320x240 50/50 and
 * aac 88/88; hevc 320x240 50/50 and opus 101/101. ffmpeg puts several ADTS frames (and Opus
 * packets) in one PES, so the audio counts test the splitting. {@code ffprobe -show_entries
 * packet=pts,dts,flags} gives the first video packet pts 133200, dts 126000, keyframe, in both
 * files; the sine is mono; libopus's pre-skip is 312.
 */
class TsFileTest {

    @ParameterizedTest
    @CsvSource({
        "h264_aac.ts,  H264, AAC,  50, 88",
        "hevc_opus.ts, H265, OPUS, 50, 101",
    })
    void demuxesFileAndMatchesFfprobeCounts(String name, CodecId videoCodec, CodecId audioCodec, int videoFrames,
            int audioFrames) throws IOException {
        ByteBuf file = TsTestSupport.resource(name);
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file)) {
            assertEquals(videoFrames, d.frames(TrackKind.VIDEO).size(), "video frames");
            assertEquals(audioFrames, d.frames(TrackKind.AUDIO).size(), "audio frames");
            assertEquals(2, d.tracks.size(), "one track per elementary stream: " + d.tracks);
            assertEquals(0, d.demuxer.droppedPes());
            assertEquals(0, d.demuxer.malformedPes());
            assertEquals(0, d.demuxer.droppedFrames());
            assertEquals(0, d.demuxer.continuityErrors());
            assertEquals(0, d.demuxer.skippedBytes());
            assertEquals(0, d.demuxer.psiErrors());

            Track video = d.demuxer.videoTrack();
            assertEquals(videoCodec, video.codec());
            assertEquals(TsDemuxer.VIDEO_TRACK_ID, video.id());
            assertEquals(Timebase.MPEG_90K, video.timebase());
            assertEquals(320, video.width());
            assertEquals(240, video.height());
            Track audio = d.demuxer.audioTrack();
            assertEquals(audioCodec, audio.codec());
            assertEquals(TsDemuxer.AUDIO_TRACK_ID, audio.id());
            assertEquals(Timebase.MPEG_90K, audio.timebase());
            assertEquals(1, audio.channels());

            MediaFrame first = d.frames(TrackKind.VIDEO).get(0);
            assertTrue(first.isKeyframe());
            assertEquals(126000, first.dts());
            assertEquals(133200, first.pts());
            // -g 25 at 25 fps: a keyframe every second, two in two seconds.
            assertEquals(2, d.frames(TrackKind.VIDEO).stream().filter(MediaFrame::isKeyframe).count());
            for (TrackKind kind : new TrackKind[] {TrackKind.VIDEO, TrackKind.AUDIO}) {
                long last = Long.MIN_VALUE;
                for (MediaFrame f : d.frames(kind)) {
                    assertTrue(f.dts() > last, "dts increases: " + f);
                    assertTrue(f.pts() >= f.dts(), "pts >= dts: " + f);
                    last = f.dts();
                }
            }
        } finally {
            file.release();
        }
    }

    @Test
    void buildsCodecConfigurationsFromTheStream() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file)) {
            AvcDecoderConfigurationRecord avcC = AvcDecoderConfigurationRecord.parse(d.demuxer.videoTrack().config());
            assertEquals(1, avcC.sequenceParameterSets().size());
            assertEquals(1, avcC.pictureParameterSets().size());
            assertEquals(4, avcC.nalUnitLengthSize());
            assertEquals(100, avcC.profileIndication(), "libx264 default: High profile");
            AudioSpecificConfig asc = AudioSpecificConfig.parse(d.demuxer.audioTrack().config());
            assertEquals(AudioSpecificConfig.AOT_AAC_LC, asc.audioObjectType());
            assertEquals(44100, asc.samplingFrequency());
            assertEquals(1, asc.channelConfiguration());
            assertEquals(44100, d.demuxer.audioTrack().sampleRate());
            // AAC frames after the first in a PES are 1024 samples apart, rounded to 90 kHz ticks.
            List<MediaFrame> aac = d.frames(TrackKind.AUDIO);
            long first = aac.get(0).pts();
            for (int k = 1; k < 5; k++) {
                assertEquals(first + Math.round(k * 1024 * 90000.0 / 44100), aac.get(k).pts(), "frame " + k);
            }
        } finally {
            file.release();
        }
        file = TsTestSupport.resource("hevc_opus.ts");
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file)) {
            HevcDecoderConfigurationRecord hvcC = HevcDecoderConfigurationRecord.parse(d.demuxer.videoTrack().config());
            assertEquals(1, hvcC.nalUnits(H265NalUnitType.VPS).size());
            assertEquals(1, hvcC.nalUnits(H265NalUnitType.SPS).size());
            assertEquals(1, hvcC.nalUnits(H265NalUnitType.PPS).size());
            OpusHead head = OpusHead.parse(d.demuxer.audioTrack().config());
            assertEquals(1, head.channelCount());
            assertEquals(312, head.preSkip(), "the start trim of the first packet");
            assertEquals(0, head.mappingFamily());
            // 20 ms Opus packets are 1800 ticks apart.
            List<MediaFrame> opus = d.frames(TrackKind.AUDIO);
            for (int k = 1; k < opus.size(); k++) {
                assertEquals(1800, opus.get(k).pts() - opus.get(k - 1).pts(), "packet " + k);
            }
        } finally {
            file.release();
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "7", "188", "1316", "4000"})
    void givesTheSameResultWhateverPiecesTheBytesArriveIn(int piece) throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        try (TsTestSupport.Demuxed whole = TsTestSupport.demux(file);
                TsTestSupport.Demuxed pieces = TsTestSupport.demux(file, piece, TsDemuxerConfig.defaults())) {
            assertEquals(whole.frames.size(), pieces.frames.size());
            for (int i = 0; i < whole.frames.size(); i++) {
                MediaFrame a = whole.frames.get(i);
                MediaFrame b = pieces.frames.get(i);
                assertEquals(a.dts(), b.dts());
                assertEquals(a.pts(), b.pts());
                assertEquals(a.content(), b.content());
            }
            assertArrayEquals(whole.demuxer.videoTrack().config(), pieces.demuxer.videoTrack().config());
        } finally {
            file.release();
        }
    }
}

package io.livehub.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.codec.aac.Adts;
import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.av1.Av1CodecConfigurationRecord;
import io.livehub.codec.av1.Av1SequenceHeader;
import io.livehub.codec.av1.Av1TemporalUnit;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h264.H264Sps;
import io.livehub.codec.h265.H265Sps;
import io.livehub.codec.h265.HevcDecoderConfigurationRecord;
import io.livehub.codec.opus.OpusHead;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Jazzer fuzz targets for the codec parsers. Without {@code JAZZER_FUZZ=1} they run once per
 * seed in {@code CodecFuzzTestInputs/<method>/} as ordinary regression tests.
 */
class CodecFuzzTest {

    @FuzzTest
    void h264Sps(byte[] data) {
        quietly(() -> H264Sps.parse(data));
    }

    @FuzzTest
    void avcDecoderConfigurationRecord(byte[] data) {
        quietly(() -> AvcDecoderConfigurationRecord.parse(data));
    }

    @FuzzTest
    void h265Sps(byte[] data) {
        quietly(() -> H265Sps.parse(data));
    }

    @FuzzTest
    void hevcDecoderConfigurationRecord(byte[] data) {
        quietly(() -> HevcDecoderConfigurationRecord.parse(data));
    }

    @FuzzTest
    void audioSpecificConfig(byte[] data) {
        quietly(() -> AudioSpecificConfig.parse(data));
    }

    @FuzzTest
    void adts(byte[] data) {
        quietly(() -> {
            ByteBuf in = Unpooled.wrappedBuffer(data);
            while (in.isReadable()) {
                Adts.readRawFrame(in).release();
            }
        });
    }

    @FuzzTest
    void opusHead(byte[] data) {
        quietly(() -> OpusHead.parse(data));
    }

    @FuzzTest
    void av1(byte[] data) {
        quietly(() -> Av1SequenceHeader.parseObu(data));
        quietly(() -> Av1CodecConfigurationRecord.parse(data).sequenceHeader());
        quietly(() -> Av1TemporalUnit.isKeyFrame(Unpooled.wrappedBuffer(data)));
    }

    @FuzzTest
    void nalUnitFraming(byte[] data) {
        quietly(() -> AnnexB.split(data));
        quietly(() -> LengthPrefixedNalUnits.split(Unpooled.wrappedBuffer(data), 4));
    }

    /** Lets the one exception bad input may cause pass; any other fails the target. */
    private static void quietly(Runnable parse) {
        try {
            parse.run();
        } catch (MalformedMediaException expected) {
            // bad input, rejected as it should be
        }
    }
}

package io.livehub.codec;

import static org.junit.jupiter.api.Assertions.fail;

import io.livehub.codec.aac.Adts;
import io.livehub.codec.aac.AdtsHeader;
import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.aac.AudioSpecificConfigTest;
import io.livehub.codec.av1.Av1CodecConfigurationRecord;
import io.livehub.codec.av1.Av1SequenceHeader;
import io.livehub.codec.av1.Av1TemporalUnit;
import io.livehub.codec.av1.Av1Test;
import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.codec.h264.AvcDecoderConfigurationRecordTest;
import io.livehub.codec.h264.H264AccessUnits;
import io.livehub.codec.h264.H264Sps;
import io.livehub.codec.h264.H264SpsTest;
import io.livehub.codec.h265.H265AccessUnits;
import io.livehub.codec.h265.H265Sps;
import io.livehub.codec.h265.H265SpsTest;
import io.livehub.codec.h265.HevcDecoderConfigurationRecord;
import io.livehub.codec.h265.HevcDecoderConfigurationRecordTest;
import io.livehub.codec.opus.OpusHead;
import io.livehub.codec.opus.OpusHeadTest;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Feeds every parser random bytes, truncations and bit flips of the golden vectors, and
 * checks that bad input only ever ends in {@link MalformedMediaException}.
 */
class MalformedInputTest {

    private static final long SEED = 0x11FE_4B0BL;
    private static final int RANDOM_INPUTS = 3000;
    private static final int MUTATIONS = 3000;

    private record Target(String name, byte[] seed, Consumer<byte[]> parser) {
    }

    private static List<Target> targets() {
        return List.of(
                new Target("H264Sps", H264SpsTest.HIGH_1918X1078, H264Sps::parse),
                new Target("AvcDecoderConfigurationRecord", AvcDecoderConfigurationRecordTest.AVCC,
                        AvcDecoderConfigurationRecord::parse),
                new Target("H265Sps", H265SpsTest.SPS_MAIN_1918X1078, H265Sps::parse),
                new Target("HevcDecoderConfigurationRecord", HevcDecoderConfigurationRecordTest.HVCC,
                        HevcDecoderConfigurationRecord::parse),
                new Target("AudioSpecificConfig", AudioSpecificConfigTest.FFMPEG_LC_44100_STEREO,
                        AudioSpecificConfig::parse),
                new Target("AdtsHeader", Hex.bytes("fff150802b3ffc0000000000"),
                        b -> AdtsHeader.parse(Unpooled.wrappedBuffer(b), 0)),
                new Target("Adts.readRawFrame", Hex.bytes("fff15080013ffc000102030405"), MalformedInputTest::readAdts),
                new Target("OpusHead", OpusHeadTest.SURROUND_5_1, OpusHead::parse),
                new Target("Av1SequenceHeader", Av1Test.SEQUENCE_HEADER_OBU, Av1SequenceHeader::parseObu),
                new Target("Av1CodecConfigurationRecord", Av1Test.AV1C,
                        b -> Av1CodecConfigurationRecord.parse(b).sequenceHeader()),
                new Target("Av1TemporalUnit", concat(Hex.bytes("1200"), Av1Test.SEQUENCE_HEADER_OBU, Hex.bytes("3214")),
                        b -> {
                            Av1TemporalUnit.obus(Unpooled.wrappedBuffer(b));
                            Av1TemporalUnit.isKeyFrame(Unpooled.wrappedBuffer(b));
                        }),
                new Target("AnnexB", Hex.bytes("00000001 6764 000001 68ee 0000000165888400"), MalformedInputTest::annexB),
                new Target("LengthPrefixedNalUnits", Hex.bytes("00000002 0910 00000003 658884"),
                        MalformedInputTest::lengthPrefixed));
    }

    @TestFactory
    List<DynamicTest> onlyMalformedMediaExceptionEscapes() {
        return targets().stream()
                .map(t -> DynamicTest.dynamicTest(t.name, () -> run(t)))
                .toList();
    }

    private static void run(Target t) {
        Random random = new Random(SEED ^ t.name.hashCode());
        for (int len = 0; len <= t.seed.length; len++) {
            feed(t, Arrays.copyOf(t.seed, len));
        }
        for (int i = 0; i < RANDOM_INPUTS; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            if (b.length > 0 && random.nextBoolean()) {
                // Keep the type byte so the parser gets past its first check.
                b[0] = t.seed[0];
            }
            feed(t, b);
        }
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] b = t.seed.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int bit = random.nextInt(b.length * 8);
                b[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
            }
            if (random.nextInt(4) == 0) {
                b = Arrays.copyOf(b, random.nextInt(b.length + 8));
            }
            feed(t, b);
        }
    }

    private static void feed(Target t, byte[] input) {
        try {
            t.parser.accept(input);
        } catch (MalformedMediaException expected) {
            // the one exception bad input may cause
        } catch (RuntimeException | Error e) {
            AssertionError failure = new AssertionError(t.name + " threw " + e + " for " + Hex.of(input), e);
            fail(failure);
        }
    }

    private static void readAdts(byte[] b) {
        ByteBuf in = Unpooled.wrappedBuffer(b);
        while (in.isReadable()) {
            Adts.readRawFrame(in).release();
        }
    }

    private static void annexB(byte[] b) {
        ByteBuf in = Unpooled.wrappedBuffer(b);
        AnnexB.split(b);
        ByteBuf avcc = AnnexB.toLengthPrefixed(in, PooledByteBufAllocator.DEFAULT);
        try {
            H264AccessUnits.containsIdr(avcc, 4);
            H265AccessUnits.containsIrapAnnexB(in);
        } finally {
            avcc.release();
        }
    }

    private static void lengthPrefixed(byte[] b) {
        ByteBuf in = Unpooled.wrappedBuffer(b);
        for (int size : new int[] {1, 2, 4}) {
            try {
                LengthPrefixedNalUnits.split(in, size);
                H265AccessUnits.containsIrap(in, size);
                LengthPrefixedNalUnits.toAnnexB(in, size, PooledByteBufAllocator.DEFAULT).release();
                LengthPrefixedNalUnits.toFourByteLengths(in, size, PooledByteBufAllocator.DEFAULT).release();
            } catch (MalformedMediaException expected) {
                // try the other length sizes too
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}

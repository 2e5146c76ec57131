package io.livehub.isobmff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one movie fragment back for tests: the {@code mfhd} number and, per {@code traf}, the
 * track, {@code tfdt} and every sample of the {@code trun} with its bytes found through the
 * data offset (relative to the {@code moof}, as default-base-is-moof says).
 */
record ParsedFragment(boolean hasStyp, long sequenceNumber, List<Traf> trafs, int mdatPayloadLength) {

    record ParsedSample(long duration, int size, int flags, int compositionOffset, byte[] data) {
        boolean sync() {
            return (flags & 0x0001_0000) == 0;
        }
    }

    record Traf(int trackId, int tfhdFlags, long baseMediaDecodeTime, int trunVersion, int trunFlags,
            List<ParsedSample> samples) {
    }

    /** Parses {@code bytes}: an optional styp, one moof and one mdat, nothing else. */
    static ParsedFragment parse(byte[] bytes) {
        List<BoxReader.Box> boxes = BoxReader.parse(bytes);
        List<String> types = BoxReader.types(boxes);
        boolean styp = types.size() == 3;
        assertEquals(styp ? List.of("styp", "moof", "mdat") : List.of("moof", "mdat"), types);
        BoxReader.Box moof = boxes.get(styp ? 1 : 0);
        BoxReader.Box mdat = boxes.get(styp ? 2 : 1);
        int mdatPayloadStart = mdat.offset() + mdat.headerSize();
        int mdatEnd = (int) (mdat.offset() + mdat.size());
        BoxReader.Box mfhd = moof.children().get(0);
        assertEquals("mfhd", mfhd.type());
        long seq = mfhd.data().getInt(4) & 0xFFFF_FFFFL;
        List<Traf> trafs = new ArrayList<>();
        int covered = 0;
        for (BoxReader.Box traf : moof.findAll("traf")) {
            assertEquals(List.of("tfhd", "tfdt", "trun"), traf.childTypes());
            ByteBuffer tfhd = traf.find("tfhd").data();
            BoxReader.Box tfdtBox = traf.find("tfdt");
            assertEquals(1, tfdtBox.version(), "64-bit tfdt");
            long base = tfdtBox.data().getLong(4);
            BoxReader.Box trun = traf.find("trun");
            ByteBuffer t = trun.data();
            int flags = trun.flags();
            assertEquals(0x000701, flags & ~0x000800, "data offset, duration, size, flags per sample");
            boolean cto = (flags & 0x800) != 0;
            int count = t.getInt(4);
            int dataOffset = t.getInt(8);
            int pos = moof.offset() + dataOffset;
            assertTrue(pos >= mdatPayloadStart && pos <= mdatEnd, "data_offset points into the mdat");
            List<ParsedSample> samples = new ArrayList<>();
            int field = 12;
            for (int i = 0; i < count; i++) {
                long duration = t.getInt(field) & 0xFFFF_FFFFL;
                int size = t.getInt(field + 4);
                int sampleFlags = t.getInt(field + 8);
                int offset = cto ? t.getInt(field + 12) : 0;
                field += cto ? 16 : 12;
                assertTrue(pos + size <= mdatEnd, "sample inside the mdat");
                samples.add(new ParsedSample(duration, size, sampleFlags, offset, Arrays.copyOfRange(bytes, pos, pos + size)));
                pos += size;
                covered += size;
            }
            assertEquals(t.capacity(), field, "trun has exactly the fields its flags say");
            trafs.add(new Traf(tfhd.getInt(4), tfhd.getInt(0) & 0xFF_FFFF, base, trun.version(), flags, samples));
        }
        assertEquals(mdatEnd - mdatPayloadStart, covered, "the samples fill the mdat");
        return new ParsedFragment(styp, seq, trafs, mdatEnd - mdatPayloadStart);
    }

    Traf traf(int trackId) {
        return trafs.stream().filter(t -> t.trackId == trackId).findFirst().orElseThrow();
    }
}

package io.livehub.isobmff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a box tree back for tests, written independently of {@link BoxWriter}: sizes (32-bit,
 * 64-bit and "to the end") are checked to add up exactly, and the boxes known to hold boxes are
 * descended into.
 */
final class BoxReader {

    /** Boxes whose payload is only boxes. */
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex",
            "moof", "traf", "edts");
    /** Boxes whose payload is a version/flags word and an entry count, then boxes. */
    private static final Set<String> FULL_CONTAINERS = Set.of("stsd", "dref");
    /** Sample entries and the bytes of fields before their child boxes (ISO/IEC 14496-12 §12.1.3, §12.2.3). */
    private static final Set<String> VISUAL_ENTRIES = Set.of("avc1", "hvc1", "av01");
    private static final Set<String> AUDIO_ENTRIES = Set.of("mp4a", "Opus");

    /** One box: type, where it starts in the parsed bytes, its size, payload and children. */
    record Box(String type, int offset, long size, int headerSize, byte[] payload, List<Box> children) {

        /** Returns the first descendant at the slash-separated {@code path}, e.g. {@code "trak/mdia/mdhd"}. */
        Box find(String path) {
            List<Box> all = findAll(path);
            if (all.isEmpty()) {
                throw new AssertionError("no box " + path + " in " + type + ": " + childTypes());
            }
            return all.get(0);
        }

        List<Box> findAll(String path) {
            String[] parts = path.split("/", 2);
            List<Box> out = new ArrayList<>();
            for (Box c : children) {
                if (c.type.equals(parts[0])) {
                    if (parts.length == 1) {
                        out.add(c);
                    } else {
                        out.addAll(c.findAll(parts[1]));
                    }
                }
            }
            return out;
        }

        List<String> childTypes() {
            return children.stream().map(Box::type).toList();
        }

        /** Returns the payload as a big-endian reader. */
        ByteBuffer data() {
            return ByteBuffer.wrap(payload);
        }

        int version() {
            return payload[0] & 0xFF;
        }

        int flags() {
            return data().getInt() & 0xFF_FFFF;
        }
    }

    private BoxReader() {
    }

    /** Parses the readable bytes of {@code buf} as a sequence of top-level boxes, leaving its indexes. */
    static List<Box> parse(ByteBuf buf) {
        return parse(ByteBufUtil.getBytes(buf));
    }

    static List<Box> parse(byte[] bytes) {
        return parseRange(bytes, 0, bytes.length);
    }

    private static List<Box> parseRange(byte[] b, int from, int to) {
        List<Box> out = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b);
        int pos = from;
        while (pos < to) {
            assertTrue(to - pos >= 8, "truncated box header at " + pos);
            long size = bb.getInt(pos) & 0xFFFF_FFFFL;
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = bb.getLong(pos + 8);
                header = 16;
            } else if (size == 0) {
                size = to - pos;
            }
            assertTrue(size >= header && pos + size <= to, "box " + type + " at " + pos + " of size " + size
                    + " overruns its parent ending at " + to);
            int end = (int) (pos + size);
            int payloadStart = pos + header;
            byte[] payload = java.util.Arrays.copyOfRange(b, payloadStart, end);
            List<Box> children = List.of();
            if (CONTAINERS.contains(type)) {
                children = parseRange(b, payloadStart, end);
            } else if (FULL_CONTAINERS.contains(type)) {
                children = parseRange(b, payloadStart + 8, end);
                assertEquals(bb.getInt(payloadStart + 4), children.size(), type + " entry_count");
            } else if (VISUAL_ENTRIES.contains(type)) {
                children = parseRange(b, payloadStart + 78, end);
            } else if (AUDIO_ENTRIES.contains(type)) {
                children = parseRange(b, payloadStart + 28, end);
            }
            out.add(new Box(type, pos, size, header, payload, children));
            pos = end;
        }
        assertEquals(to, pos, "boxes end exactly where their parent does");
        return out;
    }

    /** Returns the only box of {@code type} among {@code boxes}. */
    static Box top(List<Box> boxes, String type) {
        List<Box> found = boxes.stream().filter(x -> x.type.equals(type)).toList();
        assertEquals(1, found.size(), "one " + type + " in " + boxes.stream().map(Box::type).toList());
        return found.get(0);
    }

    /** Returns the types of {@code boxes} in order. */
    static List<String> types(List<Box> boxes) {
        return boxes.stream().map(Box::type).toList();
    }
}

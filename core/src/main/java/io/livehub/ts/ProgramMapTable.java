package io.livehub.ts;

import io.livehub.media.MalformedMediaException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Holds a program map table section (ITU-T H.222.0 §2.4.4.8, Table 2-33): the PCR PID and,
 * for each elementary stream, its stream type, PID and descriptors.
 *
 * @param programNumber {@code program_number}
 * @param version {@code version_number}, 0 to 31
 * @param pcrPid {@code PCR_PID}
 * @param programInfo the program descriptors, as bytes
 * @param streams the elementary streams in section order
 */
public record ProgramMapTable(int programNumber, int version, int pcrPid, byte[] programInfo,
        List<ElementaryStream> streams) {

    /** {@code table_id} of the PMT (Table 2-31). */
    public static final int TABLE_ID = 0x02;
    /** {@code descriptor_tag} of the registration descriptor (§2.6.8). */
    public static final int REGISTRATION_DESCRIPTOR = 0x05;
    /** {@code descriptor_tag} of the extension descriptor (§2.6.90). */
    public static final int EXTENSION_DESCRIPTOR = 0x7F;

    /**
     * Holds one entry of the elementary stream loop.
     *
     * @param streamType {@code stream_type} (Table 2-34)
     * @param pid {@code elementary_PID}
     * @param descriptors the ES_info descriptors, as bytes
     */
    public record ElementaryStream(int streamType, int pid, byte[] descriptors) {

        public ElementaryStream {
            descriptors = descriptors.clone();
        }

        @Override
        public byte[] descriptors() {
            return descriptors.clone();
        }

        /**
         * Returns the body of the first descriptor with {@code tag}, or null (§2.6, the
         * {@code descriptor_tag}, {@code descriptor_length} framing).
         */
        public byte[] descriptor(int tag) {
            return findDescriptor(descriptors, tag, -1);
        }

        /**
         * Returns the {@code format_identifier} of the first registration descriptor (§2.6.8)
         * as four ASCII characters, or null.
         */
        public String registration() {
            byte[] d = descriptor(REGISTRATION_DESCRIPTOR);
            if (d == null || d.length < 4) {
                return null;
            }
            char[] c = new char[4];
            for (int i = 0; i < 4; i++) {
                c[i] = (char) (d[i] & 0xFF);
            }
            return new String(c);
        }

        /**
         * Returns the body of the first extension descriptor (§2.6.90) whose
         * {@code extension_descriptor_tag} is {@code extensionTag}, tag byte excluded, or null.
         */
        public byte[] extensionDescriptor(int extensionTag) {
            byte[] d = findDescriptor(descriptors, EXTENSION_DESCRIPTOR, extensionTag);
            return d == null ? null : Arrays.copyOfRange(d, 1, d.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ElementaryStream e && streamType == e.streamType && pid == e.pid
                    && Arrays.equals(descriptors, e.descriptors);
        }

        @Override
        public int hashCode() {
            return (streamType * 31 + pid) * 31 + Arrays.hashCode(descriptors);
        }

        @Override
        public String toString() {
            return "ElementaryStream[type=0x" + Integer.toHexString(streamType) + ", pid=0x" + Integer.toHexString(pid)
                    + ", descriptors=" + descriptors.length + "B]";
        }
    }

    public ProgramMapTable {
        programInfo = programInfo.clone();
        streams = List.copyOf(streams);
    }

    @Override
    public byte[] programInfo() {
        return programInfo.clone();
    }

    /**
     * Returns the complete section, CRC included.
     *
     * @throws IllegalArgumentException when the section would exceed 1024 bytes
     */
    public byte[] encode() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xE0 | pcrPid >>> 8); // reserved '111', then PCR_PID
        b.write(pcrPid);
        b.write(0xF0 | programInfo.length >>> 8); // reserved '1111', then program_info_length
        b.write(programInfo.length);
        b.writeBytes(programInfo);
        for (ElementaryStream e : streams) {
            b.write(e.streamType);
            b.write(0xE0 | e.pid >>> 8);
            b.write(e.pid);
            b.write(0xF0 | e.descriptors.length >>> 8);
            b.write(e.descriptors.length);
            b.writeBytes(e.descriptors);
        }
        return PsiSection.encode(TABLE_ID, programNumber, version, b.toByteArray());
    }

    /**
     * Parses a complete section.
     *
     * @throws MalformedMediaException when it is not a valid PMT section, a length runs past
     *     the section, or its CRC fails
     */
    public static ProgramMapTable parse(byte[] s) {
        PsiSection.check(s, TABLE_ID);
        int end = s.length - PsiSection.CRC_LENGTH;
        int i = PsiSection.HEADER_LENGTH;
        if (end - i < 4) {
            throw new MalformedMediaException("truncated PMT");
        }
        int pcrPid = (s[i] & 0x1F) << 8 | s[i + 1] & 0xFF;
        int infoLength = (s[i + 2] & 0x0F) << 8 | s[i + 3] & 0xFF;
        i += 4;
        if (infoLength > end - i) {
            throw new MalformedMediaException("PMT program_info_length " + infoLength + " runs past the section");
        }
        byte[] programInfo = Arrays.copyOfRange(s, i, i + infoLength);
        i += infoLength;
        List<ElementaryStream> streams = new ArrayList<>();
        while (i < end) {
            if (end - i < 5) {
                throw new MalformedMediaException("truncated PMT elementary stream entry");
            }
            int type = s[i] & 0xFF;
            int pid = (s[i + 1] & 0x1F) << 8 | s[i + 2] & 0xFF;
            int esInfoLength = (s[i + 3] & 0x0F) << 8 | s[i + 4] & 0xFF;
            i += 5;
            if (esInfoLength > end - i) {
                throw new MalformedMediaException("PMT ES_info_length " + esInfoLength + " runs past the section");
            }
            streams.add(new ElementaryStream(type, pid, Arrays.copyOfRange(s, i, i + esInfoLength)));
            i += esInfoLength;
        }
        return new ProgramMapTable(PsiSection.tableIdExtension(s), PsiSection.version(s), pcrPid, programInfo,
                streams);
    }

    /** Returns the body of the first descriptor with {@code tag} (and first body byte {@code extensionTag} unless -1). */
    private static byte[] findDescriptor(byte[] d, int tag, int extensionTag) {
        int i = 0;
        while (d.length - i >= 2) {
            int t = d[i] & 0xFF;
            int len = d[i + 1] & 0xFF;
            if (len > d.length - i - 2) {
                return null;
            }
            if (t == tag && (extensionTag < 0 || len >= 1 && (d[i + 2] & 0xFF) == extensionTag)) {
                return Arrays.copyOfRange(d, i + 2, i + 2 + len);
            }
            i += 2 + len;
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProgramMapTable p && programNumber == p.programNumber && version == p.version
                && pcrPid == p.pcrPid && Arrays.equals(programInfo, p.programInfo) && streams.equals(p.streams);
    }

    @Override
    public int hashCode() {
        return ((programNumber * 31 + version) * 31 + pcrPid) * 31 + streams.hashCode();
    }

    @Override
    public String toString() {
        return "ProgramMapTable[program=" + programNumber + ", version=" + version + ", pcrPid=0x"
                + Integer.toHexString(pcrPid) + ", streams=" + streams + "]";
    }
}

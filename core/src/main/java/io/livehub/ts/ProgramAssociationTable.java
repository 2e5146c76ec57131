package io.livehub.ts;

import io.livehub.media.MalformedMediaException;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a program association table section (ITU-T H.222.0 §2.4.4.3, Table 2-30): the
 * transport stream id and, for each program, the PID of its program map table. Program
 * number 0 names the network PID, not a program.
 *
 * @param transportStreamId {@code transport_stream_id}
 * @param version {@code version_number}, 0 to 31
 * @param programs the programs in section order
 */
public record ProgramAssociationTable(int transportStreamId, int version, List<Program> programs) {

    /** {@code table_id} of the PAT (Table 2-31). */
    public static final int TABLE_ID = 0x00;

    /**
     * Holds one entry of the program loop.
     *
     * @param number {@code program_number}
     * @param pid {@code program_map_PID} (or {@code network_PID} when the number is 0)
     */
    public record Program(int number, int pid) {
    }

    public ProgramAssociationTable {
        programs = List.copyOf(programs);
    }

    /** Returns the complete section, CRC included. */
    public byte[] encode() {
        byte[] body = new byte[4 * programs.size()];
        int i = 0;
        for (Program p : programs) {
            body[i++] = (byte) (p.number >>> 8);
            body[i++] = (byte) p.number;
            body[i++] = (byte) (0xE0 | p.pid >>> 8); // reserved '111', then 13-bit PID
            body[i++] = (byte) p.pid;
        }
        return PsiSection.encode(TABLE_ID, transportStreamId, version, body);
    }

    /**
     * Parses a complete section.
     *
     * @throws MalformedMediaException when it is not a valid PAT section or its CRC fails
     */
    public static ProgramAssociationTable parse(byte[] section) {
        PsiSection.check(section, TABLE_ID);
        int end = section.length - PsiSection.CRC_LENGTH;
        if ((end - PsiSection.HEADER_LENGTH) % 4 != 0) {
            throw new MalformedMediaException("PAT program loop is not a multiple of 4 bytes");
        }
        List<Program> programs = new ArrayList<>();
        for (int i = PsiSection.HEADER_LENGTH; i < end; i += 4) {
            int number = (section[i] & 0xFF) << 8 | section[i + 1] & 0xFF;
            int pid = (section[i + 2] & 0x1F) << 8 | section[i + 3] & 0xFF;
            programs.add(new Program(number, pid));
        }
        return new ProgramAssociationTable(PsiSection.tableIdExtension(section), PsiSection.version(section),
                programs);
    }
}

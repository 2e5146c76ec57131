package io.livehub.ts;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reassembles PSI sections from the payloads of the transport packets of one PID (ITU-T
 * H.222.0 §2.4.4.1 and §2.4.4.2): a {@code pointer_field} in each packet that starts a
 * section, sections that span packets, several sections in one packet and 0xFF stuffing
 * after the last. Sections longer than a PAT or PMT may be (1024 bytes) are skipped.
 *
 * <p>Thread-safety: not thread-safe. Ownership: inputs are borrowed; sections are handed
 * over as new arrays.
 */
final class PsiSectionAssembler {

    private static final int MAX_SECTION = 3 + PsiSection.MAX_SECTION_LENGTH;

    private final byte[] buf = new byte[MAX_SECTION];
    private int filled;
    private int expected;
    private boolean active;
    private long errors;

    /** Returns how many sections were skipped as too long or cut off by a misplaced pointer. */
    long errors() {
        return errors;
    }

    /** Forgets a partly received section, as after a continuity error. */
    void reset() {
        active = false;
        filled = 0;
    }

    /**
     * Consumes the payload of one packet, bytes {@code index} to {@code end} of {@code in},
     * and hands each completed section to {@code sink}.
     */
    void push(ByteBuf in, int index, int end, boolean unitStart, Consumer<byte[]> sink) {
        int i = index;
        if (!unitStart) {
            if (active) {
                append(in, i, end, sink);
            }
            return;
        }
        if (i >= end) {
            reset();
            return;
        }
        int pointer = in.getUnsignedByte(i++);
        if (pointer > end - i) {
            errors++;
            reset();
            return;
        }
        if (active) {
            append(in, i, i + pointer, sink);
            if (active) {
                errors++; // the previous section ended before its section_length said
                reset();
            }
        }
        i += pointer;
        while (i < end && in.getUnsignedByte(i) != 0xFF) {
            active = true;
            filled = 0;
            expected = -1;
            i += append(in, i, end, sink);
            if (active) {
                break;
            }
        }
    }

    /** Appends bytes until the section completes; returns how many were used. */
    private int append(ByteBuf in, int from, int end, Consumer<byte[]> sink) {
        int i = from;
        while (i < end && active) {
            int want = expected < 0 ? 3 - filled : expected - filled;
            int take = Math.min(want, end - i);
            in.getBytes(i, buf, filled, take);
            filled += take;
            i += take;
            if (expected < 0 && filled == 3) {
                expected = 3 + PsiSection.sectionLength(buf, 0);
                if (expected > MAX_SECTION) {
                    errors++;
                    reset();
                    return end - from;
                }
            }
            if (expected >= 0 && filled == expected) {
                byte[] section = Arrays.copyOf(buf, filled);
                reset();
                sink.accept(section);
            }
        }
        return i - from;
    }
}

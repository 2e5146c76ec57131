package io.livehub.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the CPU time and resident memory of processes from Linux's {@code /proc} (proc(5)):
 * {@code utime + stime} from {@code /proc/PID/stat}, in clock ticks, and {@code VmRSS} from
 * {@code /proc/PID/status}, in KiB, summed over a list of processes (a server and its workers).
 *
 * <p>A process that is gone counts as 0, so a sample of a list never fails.
 *
 * <p>Thread-safety: stateless, safe from any thread.
 */
public final class ProcStats {

    private ProcStats() {
    }

    /**
     * Holds one sample of a list of processes.
     *
     * @param cpuTicks utime + stime summed, in clock ticks
     * @param rssKib VmRSS summed, in KiB
     */
    public record Sample(long cpuTicks, long rssKib) {
    }

    /** Samples the processes; a missing or unreadable one counts as 0. */
    public static Sample sample(List<Long> pids) {
        long cpu = 0;
        long rss = 0;
        for (long pid : pids) {
            cpu += cpuTicks(Path.of("/proc", Long.toString(pid), "stat"));
            rss += rssKib(Path.of("/proc", Long.toString(pid), "status"));
        }
        return new Sample(cpu, rss);
    }

    /** Samples this process. */
    public static Sample self() {
        return new Sample(cpuTicks(Path.of("/proc/self/stat")), rssKib(Path.of("/proc/self/status")));
    }

    private static long cpuTicks(Path stat) {
        try {
            return parseCpuTicks(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long rssKib(Path status) {
        try {
            return parseRssKib(Files.readString(status));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Returns utime + stime (fields 14 and 15) of a {@code /proc/PID/stat} line. The command
     * name in field 2 may hold spaces and parentheses, so fields are counted after its last
     * closing parenthesis.
     *
     * @throws IllegalArgumentException when the line is not a stat line
     */
    static long parseCpuTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line");
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3].
        if (f.length < 13) {
            throw new IllegalArgumentException("short /proc/PID/stat line");
        }
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /** Returns VmRSS in KiB from a {@code /proc/PID/status} text, or 0 when it has none (a zombie). */
    static long parseRssKib(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).trim().split("\\s+");
                return Long.parseLong(f[0]);
            }
        }
        return 0;
    }
}

package io.livehub.hooks.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Summarizes a running server and its JVM.
 *
 * <p>Thread-safety: immutable.
 *
 * @param version        the server version
 * @param pid            the process id
 * @param startedAt      when the server started, or null before
 * @param uptime         how long it has been running
 * @param ports          the bound ports by name ({@code rtmp}, {@code http}, ...)
 * @param clients        the open client connections
 * @param streams        the streams known to the hub (live or with waiting players)
 * @param publishing     the streams with a publisher
 * @param bytesIn        bytes received from the open connections, summed
 * @param bytesOut       bytes sent to the open connections, summed
 * @param heapUsed       the JVM heap in use, in bytes
 * @param heapMax        the JVM heap limit in bytes, -1 when unbounded
 * @param processCpuLoad the process's recent CPU load from 0 to 1, or -1 when the JVM does not say
 * @param systemLoad     the system load average of the last minute, or -1 when unavailable
 * @param cpus           the processors available to the JVM
 */
public record ServerSummary(ServerVersion version, long pid, Instant startedAt, Duration uptime,
                            Map<String, Integer> ports, int clients, int streams, int publishing, long bytesIn,
                            long bytesOut, long heapUsed, long heapMax, double processCpuLoad, double systemLoad,
                            int cpus) {

    public ServerSummary {
        ports = Map.copyOf(ports);
    }
}

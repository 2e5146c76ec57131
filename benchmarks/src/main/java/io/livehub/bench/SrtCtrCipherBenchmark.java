package io.livehub.bench;

import io.livehub.srt.crypto.SrtCtrCipher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the AES-CTR work of one encrypted SRT packet (a 1316-byte payload, seven TS
 * packets): the counter block from the salt and sequence number, the cipher re-initialised
 * for it, and the payload encrypted, as every sent and received packet of an encrypted
 * connection costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class SrtCtrCipherBenchmark {

    @Param({"16", "32"})
    public int keyLength;

    private SrtCtrCipher cipher;
    private final byte[] in = new byte[1316];
    private final byte[] out = new byte[1316];
    private int sequence;

    @Setup(Level.Trial)
    public void setUp() {
        cipher = new SrtCtrCipher(new byte[keyLength], new byte[16]);
    }

    @Benchmark
    public byte[] encryptPacket() {
        cipher.apply(sequence++ & 0x7FFF_FFFF, in, 0, in.length, out, 0);
        return out;
    }
}

package io.livehub.bench;

import io.livehub.media.MediaFrame;
import io.livehub.srt.SrtAcceptDecision;
import io.livehub.srt.SrtConfig;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.SrtPayloadDemuxer;
import io.livehub.srt.TsPayloadFormat;
import io.livehub.srt.handshake.SrtHandshake;
import io.livehub.srt.handshake.SrtHandshakeExtension;
import io.livehub.srt.handshake.SrtHandshakeType;
import io.livehub.srt.handshake.SrtHsFlags;
import io.livehub.srt.handshake.SrtHsMessage;
import io.livehub.srt.internal.SrtEndpoint;
import io.livehub.srt.packet.SrtPacket;
import io.livehub.srt.packet.SrtPacketDecoder;
import io.livehub.srt.packet.SrtPacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the SRT receive path per packet, as the listener runs it: decode a data packet
 * from its datagram, find the connection, insert into the receive buffer (acknowledgement
 * sequence advanced), deliver it at its TSBPD time (latency 0, so at once), and demux the
 * MPEG-TS payload into frames, which are released. One operation is one 1316-byte datagram
 * of a real H.264 + AAC stream (1280x720, about 4 Mbit/s, made with ffmpeg at setup or given
 * with {@code -p tsFile=...}). Run with {@code -prof gc} for the allocation per packet.
 *
 * <p>The endpoint runs in an {@link EmbeddedChannel} and gets datagrams through
 * {@code channelRead} directly, so no socket or event loop is measured; a real handshake
 * (induction, SYN cookie, conclusion with HSREQ) sets the connection up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class SrtReceiveBenchmark {

    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10080);
    private static final int CALLER_ID = 0x1234;
    private static final int ISN = 1000;

    /** An MPEG-TS file to replay; empty: make one with ffmpeg. */
    @Param({""})
    public String tsFile;

    private final List<byte[]> payloads = new ArrayList<>();
    private EmbeddedChannel channel;
    private ChannelHandlerContext ctx;
    private SrtEndpoint endpoint;
    private SrtPayloadDemuxer demuxer;
    private int socketId;
    private int seq = ISN;
    private int next;
    private long frames;
    private final Consumer<MediaFrame> sink = f -> {
        frames++;
        f.release();
    };

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        byte[] ts = Files.readAllBytes(tsFile.isEmpty() ? makeStream() : Path.of(tsFile));
        for (int i = 0; i + 1316 <= ts.length; i += 1316) {
            payloads.add(java.util.Arrays.copyOfRange(ts, i, i + 1316));
        }
        demuxer = TsPayloadFormat.INSTANCE.newDemuxer();
        SrtConnectionHandler handler = new SrtConnectionHandler() {
            @Override
            public void onPayload(SrtConnection c, ByteBuf payload) {
                demuxer.decode(payload, sink);
            }
        };
        SrtConfig config = SrtConfig.builder().latency(Duration.ZERO).flowWindow(8192).build();
        endpoint = new SrtEndpoint(config, req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(handler)));
        channel = new EmbeddedChannel(endpoint);
        ctx = channel.pipeline().context(endpoint);
        SrtPacketDecoder decoder = new SrtPacketDecoder(1472);
        channel.writeInbound(datagram(new SrtHandshake(4, 0, SrtHsFlags.UDT_DGRAM, ISN, 1500, 8192,
                SrtHandshakeType.INDUCTION, CALLER_ID, 0, LOCAL.getAddress(), List.of(), 0, 0)));
        int cookie = ((SrtHandshake) read(decoder)).synCookie();
        int flags = SrtHsFlags.TSBPDSND | SrtHsFlags.TSBPDRCV | SrtHsFlags.TLPKTDROP | SrtHsFlags.PERIODICNAK
                | SrtHsFlags.REXMITFLG;
        SrtHandshakeExtension hsreq = new SrtHsMessage(SrtHsMessage.VERSION_1_5_0, flags, 0, 0)
                .toExtension(SrtHandshakeExtension.HSREQ);
        channel.writeInbound(datagram(new SrtHandshake(5, 0, SrtHsFlags.EXT_HSREQ, ISN, 1500, 8192,
                SrtHandshakeType.CONCLUSION, CALLER_ID, cookie, LOCAL.getAddress(), List.of(hsreq), 0, 0)));
        channel.runPendingTasks();
        SrtPacket answer = read(decoder);
        if (!(answer instanceof SrtHandshake) || ((SrtHandshake) answer).type() != SrtHandshakeType.CONCLUSION) {
            throw new IllegalStateException("no conclusion answer: " + answer);
        }
        socketId = ((SrtHandshake) answer).socketId();
    }

    private static Path makeStream() throws IOException, InterruptedException {
        Path f = Files.createTempFile("srt-bench-", ".ts");
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine",
                "-t", "10", "-c:v", "libx264", "-preset", "veryfast", "-b:v", "4M", "-g", "60",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", f.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("ffmpeg could not make the benchmark stream");
        }
        f.toFile().deleteOnExit();
        return f;
    }

    private static DatagramPacket datagram(SrtPacket p) {
        return new DatagramPacket(SrtPacketEncoder.encode(p, UnpooledByteBufAllocator.DEFAULT), LOCAL, PEER);
    }

    private SrtPacket read(SrtPacketDecoder decoder) {
        DatagramPacket d = channel.readOutbound();
        try {
            SrtPacket p = decoder.decode(d.content());
            ReferenceCountUtil.release(p);
            return p;
        } finally {
            d.release();
        }
    }

    /** Receives one data packet: the operation is one datagram through the whole receive path. */
    @Benchmark
    public long receivePacket() throws Exception {
        byte[] payload = payloads.get(next);
        next = next + 1 == payloads.size() ? 0 : next + 1;
        ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer(16 + payload.length);
        b.writeInt(seq);
        b.writeInt(0xC000_0000 | (seq & 0x03FF_FFFF)); // solo packet, message number
        b.writeInt(0); // timestamp 0: due at once with latency 0
        b.writeInt(socketId);
        b.writeBytes(payload);
        seq = seq == Integer.MAX_VALUE ? 0 : seq + 1;
        endpoint.channelRead(ctx, new DatagramPacket(b, LOCAL, PEER));
        return frames;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (frames == 0) {
            throw new IllegalStateException("no frame was demuxed");
        }
        channel.finishAndReleaseAll();
        demuxer.close();
    }
}

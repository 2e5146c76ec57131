package io.livehub.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs the server side of the RTMP handshake (RTMP spec §5.2): reads C0 and C1, sends S0, S1 and
 * S2 together, reads C2, then fires {@link RtmpHandshakeCompletedEvent}, removes itself and passes
 * any bytes that followed C2 (clients often send connect right behind it) to the next handler.
 *
 * <p>Only version 3 is accepted in C0; anything else, such as 6 for RTMPE, closes the connection
 * with a log line. A C1 with a zero version field gets the simple answer: S1 with a zero version
 * and random bytes, S2 echoing C1. A C1 with a non-zero version and a valid digest (schema 0 or 1,
 * keyed by the Flash Player key, see {@link HandshakeDigest}) gets a digest S1 in the same schema,
 * keyed by the Flash Media Server key, and an S2 signed for C1's digest; a C1 whose digest does not
 * verify falls back to the simple answer. C2's content is not checked, as most servers do not.
 *
 * <p>Place it first in the pipeline (after TLS, if any) and the chunk codec after it. It closes the
 * connection when the handshake is malformed, the peer is silent past
 * {@link RtmpHandshakeConfig#timeout()}, or, with a log line, when the peer hangs up early.
 *
 * <p>Ownership: consumes the handshake bytes; passes the rest on unchanged.
 *
 * <p>Thread-safety: one instance per channel, used on its event loop.
 */
public class RtmpServerHandshakeHandler extends AbstractHandshakeHandler {

    /** The version S1 announces in the digest handshake; FFmpeg checks that its first byte is at least 3. */
    static final int SERVER_VERSION = 0x04050001;

    private boolean c1Read;
    private boolean digestUsed;
    private long peerVersion;

    /** Creates a handler with {@link RtmpHandshakeConfig#DEFAULT}. */
    public RtmpServerHandshakeHandler() {
        this(RtmpHandshakeConfig.DEFAULT);
    }

    /** Creates a handler with the given configuration. */
    public RtmpServerHandshakeHandler(RtmpHandshakeConfig config) {
        super(config);
    }

    @Override
    String side() {
        return "server";
    }

    @Override
    void start(ChannelHandlerContext ctx) {
        // The client speaks first.
    }

    @Override
    void step(ChannelHandlerContext ctx, ByteBuf in) {
        if (!c1Read) {
            if (!in.isReadable()) {
                return;
            }
            checkVersion(in.getUnsignedByte(in.readerIndex()), "C0");
            if (in.readableBytes() < 1 + HandshakeDigest.PACKET_SIZE) {
                return;
            }
            in.skipBytes(1);
            byte[] c1 = new byte[HandshakeDigest.PACKET_SIZE];
            in.readBytes(c1);
            c1Read = true;
            ByteBuf response = ctx.alloc().buffer(1 + 2 * HandshakeDigest.PACKET_SIZE);
            response.writeByte(RTMP_VERSION);
            respond(c1, response);
            ctx.writeAndFlush(response);
        }
        if (in.readableBytes() < HandshakeDigest.PACKET_SIZE) {
            return;
        }
        in.skipBytes(HandshakeDigest.PACKET_SIZE);
        complete(ctx, new RtmpHandshakeCompletedEvent(digestUsed, peerVersion));
    }

    /** Writes S1 and S2 for {@code c1}. */
    private void respond(byte[] c1, ByteBuf out) {
        peerVersion = HandshakeDigest.readUnsignedInt(c1, 4);
        int digestAt = -1;
        if (config.digest() && peerVersion != 0) {
            digestAt = HandshakeDigest.findDigest(c1, HandshakeDigest.PLAYER_KEY, HandshakeDigest.PLAYER_KEY_PUBLIC);
        }
        if (digestAt >= 0) {
            digestUsed = true;
            byte[] c1Digest = Arrays.copyOfRange(c1, digestAt, digestAt + HandshakeDigest.DIGEST_SIZE);
            int schema = HandshakeDigest.schemaOf(c1, digestAt);
            out.writeBytes(HandshakeDigest.newDigestPacket(now(), SERVER_VERSION, HandshakeDigest.SERVER_KEY,
                    HandshakeDigest.SERVER_KEY_PUBLIC, schema));
            out.writeBytes(HandshakeDigest.newResponse(c1Digest, HandshakeDigest.SERVER_KEY));
        } else {
            byte[] s1 = new byte[HandshakeDigest.PACKET_SIZE];
            ThreadLocalRandom.current().nextBytes(s1);
            HandshakeDigest.writeInt(s1, 0, now());
            HandshakeDigest.writeInt(s1, 4, 0);
            out.writeBytes(s1);
            out.writeBytes(c1);
        }
    }
}

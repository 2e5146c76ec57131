package io.livehub.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs the client side of the RTMP handshake (RTMP spec §5.2): sends C0 and C1 when the channel
 * becomes active, reads S0 and S1, sends C2, reads S2, then fires
 * {@link RtmpHandshakeCompletedEvent}, removes itself and passes any bytes that followed S2 to the
 * next handler. The session sends {@code connect} after the event.
 *
 * <p>With {@link RtmpHandshakeConfig#digest()} (the default) C1 carries a schema 0 digest keyed by
 * the Flash Player key and a non-zero version, as FFmpeg and Flash Player send; when S1 carries a
 * valid server digest, C2 is signed for it and S2's signature is checked, and the completion event
 * says whether both verified. A server that answers simply gets C2 echoing S1. Without the digest
 * option C1 has a zero version and C2 echoes S1. An S2 that does not verify is accepted, as FFmpeg
 * does when publishing, and reported through {@link RtmpHandshakeCompletedEvent#digest()}.
 *
 * <p>Ownership: consumes the handshake bytes; passes the rest on unchanged.
 *
 * <p>Thread-safety: one instance per channel, used on its event loop.
 */
public class RtmpClientHandshakeHandler extends AbstractHandshakeHandler {

    /** The version C1 announces in the digest handshake, the one FFmpeg sends (9.0.124.2). */
    static final int CLIENT_VERSION = 0x09007C02;

    private byte[] c1Digest;
    private byte[] s1Digest;
    private boolean s1Read;
    private long peerVersion;

    /** Creates a handler with {@link RtmpHandshakeConfig#DEFAULT}. */
    public RtmpClientHandshakeHandler() {
        this(RtmpHandshakeConfig.DEFAULT);
    }

    /** Creates a handler with the given configuration. */
    public RtmpClientHandshakeHandler(RtmpHandshakeConfig config) {
        super(config);
    }

    @Override
    String side() {
        return "client";
    }

    @Override
    void start(ChannelHandlerContext ctx) {
        byte[] c1;
        if (config.digest()) {
            c1 = HandshakeDigest.newDigestPacket(now(), CLIENT_VERSION, HandshakeDigest.PLAYER_KEY,
                    HandshakeDigest.PLAYER_KEY_PUBLIC, 0);
            int at = HandshakeDigest.digestOffset(c1, 0);
            c1Digest = Arrays.copyOfRange(c1, at, at + HandshakeDigest.DIGEST_SIZE);
        } else {
            c1 = new byte[HandshakeDigest.PACKET_SIZE];
            ThreadLocalRandom.current().nextBytes(c1);
            HandshakeDigest.writeInt(c1, 0, now());
            HandshakeDigest.writeInt(c1, 4, 0);
        }
        ByteBuf out = ctx.alloc().buffer(1 + HandshakeDigest.PACKET_SIZE);
        out.writeByte(RTMP_VERSION);
        out.writeBytes(c1);
        ctx.writeAndFlush(out);
    }

    @Override
    void step(ChannelHandlerContext ctx, ByteBuf in) {
        if (!s1Read) {
            if (!in.isReadable()) {
                return;
            }
            checkVersion(in.getUnsignedByte(in.readerIndex()), "S0");
            if (in.readableBytes() < 1 + HandshakeDigest.PACKET_SIZE) {
                return;
            }
            in.skipBytes(1);
            byte[] s1 = new byte[HandshakeDigest.PACKET_SIZE];
            in.readBytes(s1);
            s1Read = true;
            peerVersion = HandshakeDigest.readUnsignedInt(s1, 4);
            byte[] c2 = s1;
            if (c1Digest != null && peerVersion != 0) {
                int at = HandshakeDigest.findDigest(s1, HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_KEY_PUBLIC);
                if (at >= 0) {
                    s1Digest = Arrays.copyOfRange(s1, at, at + HandshakeDigest.DIGEST_SIZE);
                    c2 = HandshakeDigest.newResponse(s1Digest, HandshakeDigest.PLAYER_KEY);
                }
            }
            ctx.writeAndFlush(ctx.alloc().buffer(HandshakeDigest.PACKET_SIZE).writeBytes(c2));
        }
        if (in.readableBytes() < HandshakeDigest.PACKET_SIZE) {
            return;
        }
        byte[] s2 = new byte[HandshakeDigest.PACKET_SIZE];
        in.readBytes(s2);
        boolean verified = s1Digest != null && HandshakeDigest.verifyResponse(s2, c1Digest, HandshakeDigest.SERVER_KEY);
        complete(ctx, new RtmpHandshakeCompletedEvent(verified, peerVersion));
    }
}

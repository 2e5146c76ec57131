package io.livehub.bench.load;

import io.livehub.rtmp.amf.AmfObject;
import io.livehub.rtmp.client.RtmpUrl;
import io.livehub.rtmp.handshake.RtmpHandshakeCompletedEvent;
import io.livehub.rtmp.message.RtmpCommand;
import io.livehub.rtmp.message.RtmpMessage;
import io.livehub.rtmp.message.RtmpMessageType;
import io.livehub.rtmp.message.RtmpProtocolControl;
import io.livehub.rtmp.message.RtmpUserControlEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * Plays one RTMP stream as a load client's player (RTMP spec §7.2): after the handshake it
 * sends {@code connect}, {@code createStream}, {@code play} and Set Buffer Length, answers Ping
 * Request (§7.1.7) and acknowledges every window of bytes the server asked for (§5.4.3, §5.4.4),
 * and hands every audio and video message to its {@link PlayerStats} as an
 * {@link RtmpChunkScanner} finds them, without assembling them.
 *
 * <p>Sits after {@link io.livehub.rtmp.handshake.RtmpClientHandshakeHandler} and
 * {@link io.livehub.rtmp.chunk.RtmpChunkEncoder}, which writes its commands.
 *
 * <p>Ownership: releases every buffer it reads.
 *
 * <p>Thread-safety: one instance per channel, used on its event loop.
 */
final class RtmpLoadPlayer extends PlayerHandler implements RtmpChunkScanner.Listener {

    private static final double CONNECT_TID = 1;
    private static final double CREATE_STREAM_TID = 2;
    private static final long BUFFER_LENGTH_MILLIS = 1000;

    private final RtmpUrl url;
    private final RtmpChunkScanner scanner = new RtmpChunkScanner(this);
    private ChannelHandlerContext ctx;
    private long received;
    private long acknowledged;
    private long windowAckSize;
    private int streamId;

    RtmpLoadPlayer(RtmpUrl url, LoadStats load, long playTimeoutMillis) {
        super(load, playTimeoutMillis);
        this.url = url;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof RtmpHandshakeCompletedEvent) {
            AmfObject o = new AmfObject().with("app", url.app()).with("type", "nonprivate")
                    .with("flashVer", "LNX 9,0,124,2").with("tcUrl", url.tcUrl()).with("fpad", false)
                    .with("capabilities", 15.0).with("audioCodecs", 4071.0).with("videoCodecs", 252.0)
                    .with("videoFunction", 1.0);
            ctx.writeAndFlush(RtmpCommand.of("connect", CONNECT_TID, o).toMessage(ctx.alloc(), 0));
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            int n = in.readableBytes();
            received += n;
            stats().onBytes(n);
            scanner.scan(in);
        } catch (IllegalStateException e) {
            protocolError(ctx, "RTMP", e.getMessage());
            return;
        } finally {
            in.release();
        }
        if (windowAckSize > 0 && received - acknowledged >= windowAckSize) {
            acknowledged = received;
            ctx.writeAndFlush(RtmpProtocolControl.acknowledgement(ctx.alloc(), received & 0xFFFF_FFFFL));
        }
    }

    @Override
    public void onMedia(int typeId, long timestamp, int length, byte[] head, int headLength) {
        if (typeId == RtmpMessageType.VIDEO) {
            stats().onVideo(timestamp, head, headLength);
        } else {
            stats().onAudio(timestamp, head, headLength);
        }
    }

    @Override
    public void onMessage(int typeId, int messageStreamId, long timestamp, ByteBuf payload) {
        try {
            switch (typeId) {
                case RtmpMessageType.WINDOW_ACK_SIZE -> {
                    if (payload.readableBytes() >= 4) {
                        windowAckSize = payload.getUnsignedInt(payload.readerIndex());
                    }
                }
                case RtmpMessageType.USER_CONTROL -> onUserControl(payload);
                case RtmpMessageType.AMF0_COMMAND, RtmpMessageType.AMF3_COMMAND -> onCommand(
                        RtmpCommand.decode(new RtmpMessage(typeId, messageStreamId, timestamp, 3, payload.retain())));
                default -> {
                    // Set Chunk Size and Abort act in the scanner; metadata and the rest are not checked.
                }
            }
        } finally {
            payload.release();
        }
    }

    private void onUserControl(ByteBuf payload) {
        if (payload.readableBytes() < 6) {
            return;
        }
        int type = payload.getUnsignedShort(payload.readerIndex());
        if (type == RtmpUserControlEvent.PING_REQUEST) {
            long time = payload.getUnsignedInt(payload.readerIndex() + 2);
            ctx.writeAndFlush(RtmpUserControlEvent.pingResponse(time).toMessage(ctx.alloc(), 0));
        }
    }

    private void onCommand(RtmpCommand cmd) {
        switch (cmd.name()) {
            case "_result" -> {
                if (cmd.transactionId() == CONNECT_TID) {
                    ctx.writeAndFlush(RtmpCommand.of("createStream", CREATE_STREAM_TID, null).toMessage(ctx.alloc(), 0));
                } else if (cmd.transactionId() == CREATE_STREAM_TID) {
                    if (!(cmd.argument(0) instanceof Number id)) {
                        fail(ctx, "createStream answered without a stream id");
                        return;
                    }
                    streamId = id.intValue();
                    ctx.write(RtmpCommand.of("play", 0, null, url.stream(), -2.0).toMessage(ctx.alloc(), streamId));
                    ctx.writeAndFlush(RtmpUserControlEvent.setBufferLength(streamId, BUFFER_LENGTH_MILLIS)
                            .toMessage(ctx.alloc(), 0));
                }
            }
            case "_error" -> fail(ctx, "the server answered " + describe(cmd.argument(0)));
            case "onStatus" -> {
                Object info = cmd.argument(0);
                String code = info instanceof Map<?, ?> m && m.get("code") instanceof String s ? s : "";
                String level = info instanceof Map<?, ?> m && m.get("level") instanceof String s ? s : "";
                if (code.equals("NetStream.Play.Start")) {
                    playing(ctx);
                } else if (level.equals("error") || code.endsWith(".Failed") || code.endsWith("StreamNotFound")) {
                    fail(ctx, "the server answered " + code);
                }
            }
            default -> {
                // onBWDone, onFCSubscribe, |RtmpSampleAccess and the like need no answer.
            }
        }
    }

    private static String describe(Object info) {
        if (info instanceof Map<?, ?> m) {
            return String.valueOf(m.get("code")) + " " + m.get("description");
        }
        return String.valueOf(info);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        scanner.release();
        super.channelInactive(ctx);
    }
}

package io.livehub.spi;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;

/**
 * The event loops and channel types shared by every module of a server: epoll when the
 * native transport is available, NIO otherwise.
 *
 * @param bossGroup        accepts connections
 * @param workerGroup      runs connections; publishers and players are spread over it
 * @param serverChannel    the TCP server channel type for {@code bossGroup}
 * @param socketChannel    the TCP client channel type (for outgoing connections)
 * @param datagramChannel  the UDP channel type
 * @param nativeTransport  whether the native (epoll) transport is in use
 */
public record Transport(EventLoopGroup bossGroup, EventLoopGroup workerGroup,
                        Class<? extends ServerChannel> serverChannel,
                        Class<? extends Channel> socketChannel,
                        Class<? extends DatagramChannel> datagramChannel,
                        boolean nativeTransport) {
}

package io.livehub.push.internal;

import io.livehub.push.PushConfig;
import io.livehub.push.PushTaskSpec;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.livehub.media.EgressForms;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Makes the real connections: RTMP and RTMPS with the RTMP client, SRT as a caller, MPEG-TS
 * over UDP.
 *
 * <p>Thread-safety: immutable.
 */
public final class Destinations implements DestinationFactory {

    private final PushConfig config;
    private final Class<? extends Channel> socketType;
    private final Class<? extends DatagramChannel> datagramType;
    private final Executor resolver;
    private final EgressForms forms;

    /**
     * @param resolver runs host name lookups, which block, away from the event loops
     * @param forms    the server's egress forms ({@code StreamHub.egressForms()}): the MPEG-TS of a
     *                 frame is made once for every SRT and UDP destination and player of the server
     */
    public Destinations(PushConfig config, Class<? extends Channel> socketType,
                        Class<? extends DatagramChannel> datagramType, Executor resolver, EgressForms forms) {
        this.forms = Objects.requireNonNull(forms, "forms");
        this.config = Objects.requireNonNull(config, "config");
        this.socketType = Objects.requireNonNull(socketType, "socketType");
        this.datagramType = Objects.requireNonNull(datagramType, "datagramType");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public Destination create(PushTaskSpec spec, EventLoop loop) {
        return switch (spec.protocol()) {
            case RTMP, RTMPS -> new RtmpDestination(config.rtmpClient(), loop, socketType,
                    DestinationUrls.rtmp(spec.protocol(), spec.url(), spec.streamKey()), resolver);
            case SRT -> new SrtDestination(config.srt(), loop, datagramType,
                    DestinationUrls.srt(spec.url(), spec.streamKey()), resolver, forms);
            case MPEGTS -> new UdpTsDestination(loop, datagramType, DestinationUrls.udp(spec.url()), resolver,
                    config.udpMaxQueuedBytes(), forms);
        };
    }
}

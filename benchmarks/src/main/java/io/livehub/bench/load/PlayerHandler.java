package io.livehub.bench.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the life cycle that every load client player shares: a deadline for reaching the playing
 * state, then exactly one outcome counted in {@link LoadStats}: playing (and later lost, when the
 * server closes the connection before the run ends), or failed. The first few failures of a run
 * are logged with their reason; the rest are only counted.
 *
 * <p>Thread-safety: one instance per channel, used on its event loop; {@link #isPlaying()} and
 * {@link #stats()} may be read after the window closed, on that loop.
 */
abstract class PlayerHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(LoadClient.class);
    private static final int LOGGED_FAILURES = 5;
    private static final AtomicInteger loggedFailures = new AtomicInteger();

    private final LoadStats load;
    private final PlayerStats stats;
    private final long playTimeoutMillis;
    private ScheduledFuture<?> deadline;
    private boolean playing;
    private boolean failed;
    private volatile boolean stopping;

    PlayerHandler(LoadStats load, long playTimeoutMillis) {
        this.load = load;
        this.stats = new PlayerStats(load);
        this.playTimeoutMillis = playTimeoutMillis;
    }

    /** Returns this player's checks. */
    final PlayerStats stats() {
        return stats;
    }

    /** Returns whether the player reached the playing state. */
    final boolean isPlaying() {
        return playing;
    }

    /** Notes that the run is ending, so that the close that follows is not counted as lost. */
    final void stopping() {
        stopping = true;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        deadline = ctx.executor().schedule(() -> {
            if (!playing && !failed) {
                fail(ctx, "not playing after " + playTimeoutMillis + " ms");
            }
        }, playTimeoutMillis, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    /** Counts the player as playing, once. */
    final void playing(ChannelHandlerContext ctx) {
        if (playing || failed) {
            return;
        }
        playing = true;
        cancelDeadline();
        load.playing.increment();
    }

    /** Counts the player as failed, unless it played, logs the reason, and closes the connection. */
    final void fail(ChannelHandlerContext ctx, String reason) {
        if (!playing && !failed) {
            failed = true;
            cancelDeadline();
            load.failed.increment();
            if (!stopping && loggedFailures.incrementAndGet() <= LOGGED_FAILURES) {
                log.warn("player {} failed: {}", ctx.channel().localAddress(), reason);
            }
        } else if (playing && !stopping && loggedFailures.incrementAndGet() <= LOGGED_FAILURES) {
            log.warn("player {} stopped: {}", ctx.channel().localAddress(), reason);
        }
        ctx.close();
    }

    /** Fails the player because the server's bytes do not follow the protocol. */
    final void protocolError(ChannelHandlerContext ctx, String protocol, String message) {
        fail(ctx, protocol + " protocol error: " + message);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        if (playing) {
            if (!stopping) {
                load.lost.increment();
                if (loggedFailures.incrementAndGet() <= LOGGED_FAILURES) {
                    log.warn("player {}: the server closed the connection", ctx.channel().localAddress());
                }
            }
        } else if (!failed) {
            failed = true;
            load.failed.increment();
            if (!stopping && loggedFailures.incrementAndGet() <= LOGGED_FAILURES) {
                log.warn("player {} failed: the connection closed before playing", ctx.channel().localAddress());
            }
        }
        super.channelInactive(ctx);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}

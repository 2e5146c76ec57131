package io.livehub.bench.load;

import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SRT player of the load client, on Livehub's {@link io.livehub.srt.SrtCaller}: counts the
 * MPEG-TS it receives without demuxing it. Every payload's bytes count; each 188-byte TS packet
 * that starts a PES (ISO/IEC 13818-1 section 2.4.3.2, payload_unit_start_indicator) counts as a
 * message, and as a video frame when its stream id is 0xE0..0xEF or an audio frame (one PES,
 * which may hold several AAC frames) when 0xC0..0xDF. A video PES's DTS (or PTS) must never go
 * back; the first video PES must carry the random access indicator (a keyframe start).
 *
 * <p>The player plays from its first payload; one that has no payload within the play timeout
 * fails and closes.
 *
 * <p>Thread-safety: the handler methods run on the connection's event loop; {@link #stopping()}
 * and {@link #windowVideoFrames()} may be called from any thread.
 */
final class SrtLoadPlayer implements SrtConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(LoadClient.class);
    private static final int LOGGED_FAILURES = 5;
    private static final AtomicInteger loggedFailures = new AtomicInteger();
    private static final int TS = 188;

    private final LoadStats load;
    private final long playTimeoutMillis;
    private volatile SrtConnection connection;
    private ScheduledFuture<?> deadline;
    private boolean playing;
    private boolean failed;
    private volatile boolean stopping;
    private boolean sawVideo;
    private long lastVideoTs = -1;
    private volatile long windowVideoFrames;

    SrtLoadPlayer(LoadStats load, long playTimeoutMillis) {
        this.load = load;
        this.playTimeoutMillis = playTimeoutMillis;
    }

    boolean isPlaying() {
        return playing;
    }

    long windowVideoFrames() {
        return windowVideoFrames;
    }

    /** Marks the end of the run: closing is not a loss; then closes the connection. */
    void stopping() {
        stopping = true;
        SrtConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** Counts a player whose handshake failed. */
    void connectFailed(Throwable cause) {
        if (!failed) {
            failed = true;
            load.failed.increment();
            if (!stopping && loggedFailures.incrementAndGet() <= LOGGED_FAILURES) {
                log.warn("SRT player failed to connect: {}", cause.toString());
            }
        }
    }

    @Override
    public void onConnected(SrtConnection c) {
        connection = c;
        deadline = c.executor().schedule(() -> {
            if (!playing && !failed) {
                failed = true;
                load.failed.increment();
                if (loggedFailures.incrementAndGet() <= LOGGED_FAILURES) {
                    log.warn("SRT player {} failed: no payload after {} ms", c.socketId(), playTimeoutMillis);
                }
                c.close();
            }
        }, playTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onPayload(SrtConnection c, ByteBuf payload) {
        if (failed) {
            return;
        }
        if (!playing) {
            playing = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            load.playing.increment();
        }
        load.bytes.add(payload.readableBytes());
        int end = payload.writerIndex();
        for (int at = payload.readerIndex(); at + TS <= end; at += TS) {
            packet(payload, at);
        }
    }

    /** Reads one TS packet's header and, when it starts a PES, the PES header's start. */
    private void packet(ByteBuf b, int at) {
        if (b.getByte(at) != 0x47 || (b.getByte(at + 1) & 0x40) == 0) {
            return;
        }
        int afc = (b.getByte(at + 3) >> 4) & 3;
        int p = at + 4;
        boolean randomAccess = false;
        if (afc == 2 || afc == 3) {
            int afLength = b.getUnsignedByte(p);
            randomAccess = afLength > 0 && (b.getByte(p + 1) & 0x40) != 0;
            p += 1 + afLength;
        }
        if (afc == 2 || p + 9 > at + TS || b.getMedium(p) != 0x000001) {
            return;
        }
        int streamId = b.getUnsignedByte(p + 3);
        load.messages.increment();
        if (streamId >= 0xC0 && streamId <= 0xDF) {
            load.audioFrames.increment();
            return;
        }
        if (streamId < 0xE0 || streamId > 0xEF) {
            return;
        }
        load.videoFrames.increment();
        if (load.measuring()) {
            windowVideoFrames++;
        }
        if (!sawVideo) {
            sawVideo = true;
            if (!randomAccess) {
                load.nonKeyframeStarts.increment();
            }
        }
        int flags = (b.getUnsignedByte(p + 7) >> 6) & 3;
        int tsAt = flags == 3 ? p + 14 : flags == 2 ? p + 9 : -1;
        if (tsAt > 0 && tsAt + 5 <= at + TS) {
            long ts = ((long) (b.getUnsignedByte(tsAt) >> 1) & 7) << 30 | (long) (b.getUnsignedShort(tsAt + 1) >> 1) << 15
                    | b.getUnsignedShort(tsAt + 3) >> 1;
            // A 33-bit clock: a step back of more than half the range is a wrap, not a regression.
            if (lastVideoTs >= 0 && ts < lastVideoTs && lastVideoTs - ts < (1L << 32)) {
                load.timestampRegressions.increment();
            }
            lastVideoTs = ts;
        }
    }

    @Override
    public void onClosed(SrtConnection c, String reason) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (playing && !stopping) {
            load.lost.increment();
            if (loggedFailures.incrementAndGet() <= LOGGED_FAILURES) {
                log.warn("SRT player {} lost: {}", c.socketId(), reason);
            }
        } else if (!playing && !failed) {
            failed = true;
            load.failed.increment();
        }
    }
}

package io.livehub.ts;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: resources, demuxing a whole stream in pieces, muxing frames. */
final class TsTestSupport {

    static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private TsTestSupport() {
    }

    /** Returns a resource of this package as a new heap buffer. */
    static ByteBuf resource(String name) throws IOException {
        try (InputStream in = TsTestSupport.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return Unpooled.wrappedBuffer(in.readAllBytes());
        }
    }

    /** Returns a heap buffer of the hex digits in {@code hex}; spaces and '|' are ignored. */
    static ByteBuf hex(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replaceAll("[\\s|]", ""));
        return Unpooled.buffer(bytes.length).writeBytes(bytes);
    }

    static String hexOf(byte[] b) {
        return ByteBufUtil.hexDump(b);
    }

    /** What demuxing one stream gave. */
    static final class Demuxed implements TsDemuxerListener, AutoCloseable {
        final TsDemuxer demuxer;
        final List<Track> tracks = new ArrayList<>();
        final List<MediaFrame> frames = new ArrayList<>();

        Demuxed(TsDemuxer demuxer) {
            this.demuxer = demuxer;
        }

        List<MediaFrame> frames(TrackKind kind) {
            return frames.stream().filter(f -> f.track().kind() == kind).toList();
        }

        @Override
        public void onTrack(Track t) {
            tracks.add(t);
        }

        @Override
        public void onFrame(MediaFrame f) {
            frames.add(f);
        }

        @Override
        public void close() {
            frames.forEach(MediaFrame::release);
            frames.clear();
            demuxer.close();
        }
    }

    /**
     * Demuxes all of {@code stream} (borrowed; its reader index does not move), handing it to
     * the demuxer {@code piece} bytes at a time through a cumulation buffer, then flushes.
     */
    static Demuxed demux(ByteBuf stream, int piece, TsDemuxerConfig config) {
        Demuxed d = new Demuxed(new TsDemuxer(config));
        ByteBuf cumulation = ALLOC.buffer();
        try {
            for (int i = stream.readerIndex(); i < stream.writerIndex(); i += piece) {
                cumulation.writeBytes(stream, i, Math.min(piece, stream.writerIndex() - i));
                d.demuxer.decode(cumulation, d);
                cumulation.discardReadBytes();
            }
            d.demuxer.flush(d);
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        } finally {
            cumulation.release();
        }
        return d;
    }

    static Demuxed demux(ByteBuf stream) {
        return demux(stream, stream.readableBytes() == 0 ? 1 : stream.readableBytes(), TsDemuxerConfig.defaults());
    }

    /** Muxes {@code frames} of {@code tracks} (borrowed) into one buffer that the caller releases. */
    static ByteBuf mux(List<Track> tracks, List<MediaFrame> frames) {
        TsMuxer muxer = new TsMuxer(TsMuxerConfig.defaults(), tracks);
        ByteBuf out = ALLOC.buffer();
        for (MediaFrame f : frames) {
            muxer.write(f, out);
        }
        return out;
    }

    /** Returns the first track of each kind in {@code tracks}, video first. */
    static List<Track> programOf(List<Track> tracks) {
        List<Track> out = new ArrayList<>();
        tracks.stream().filter(t -> t.kind() == TrackKind.VIDEO).findFirst().ifPresent(out::add);
        tracks.stream().filter(t -> t.kind() == TrackKind.AUDIO).findFirst().ifPresent(out::add);
        return out;
    }
}

package io.livehub.isobmff;

import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes the init segment of a fragmented MP4 (ISO/IEC 14496-12 §8.8; the CMAF header of
 * ISO/IEC 23000-19 §7.3.2, the {@code EXT-X-MAP} of fMP4 HLS): {@code ftyp} and a {@code moov}
 * that describes the tracks and holds no samples.
 *
 * <p>Layout: {@code moov} = {@code mvhd} (timescale 1000, duration 0: the length is unknown
 * while live), one {@code trak} per track in list order, and {@code mvex} with one {@code trex}
 * per track. Each {@code trak} = {@code tkhd} (enabled, in movie; width and height for video,
 * volume 1.0 for audio) + {@code mdia} = {@code mdhd} (the track's timescale, language
 * {@code und}) + {@code hdlr} ({@code vide} or {@code soun}) + {@code minf} = {@code vmhd} or
 * {@code smhd} + {@code dinf}/{@code dref} (one self-contained {@code url }) + {@code stbl} =
 * {@code stsd} with one sample entry and empty {@code stts}, {@code stsc}, {@code stsz},
 * {@code stco}. The sample entries are listed at {@link IsoTrack}; their width, height, sample
 * rate and channel count come from the {@link io.livehub.media.Track}, which the ingest fills in
 * from the codec configuration.
 *
 * <p>Thread-safety: stateless.
 */
public final class InitSegmentEncoder {

    /** {@code mvhd} timescale; only the (zero) movie duration counts in it. */
    static final int MOVIE_TIMESCALE = 1000;
    /** {@code tkhd} flags: track_enabled | track_in_movie (§8.3.2.3). */
    private static final int TKHD_FLAGS = 0x000003;
    private static final long MAX_U32 = 0xFFFF_FFFFL;
    /** ISO 639-2/T "und" packed as three 5-bit letters minus 0x60 (§8.4.2.3). */
    private static final int LANGUAGE_UND = ('u' - 0x60) << 10 | ('n' - 0x60) << 5 | ('d' - 0x60);
    /** The unity transformation matrix of {@code mvhd} and {@code tkhd} (§8.2.2.3). */
    private static final int[] UNITY_MATRIX = {0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000};
    /** {@code hdlr} names: null-terminated UTF-8, informational only. */
    private static final byte[] VIDEO_HANDLER_NAME = "VideoHandler\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOUND_HANDLER_NAME = "SoundHandler\0".getBytes(StandardCharsets.US_ASCII);

    private InitSegmentEncoder() {
    }

    /**
     * Returns {@link FileType#INIT} {@code ftyp} followed by the {@code moov} of {@code tracks}.
     *
     * <p>Ownership: the caller releases the returned buffer.
     *
     * @throws IllegalArgumentException when {@code tracks} is empty or two share a {@code track_ID}
     * @throws io.livehub.media.MalformedMediaException when a codec configuration is malformed
     */
    public static ByteBuf encode(List<IsoTrack> tracks, ByteBufAllocator alloc) {
        return encode(tracks, FileType.INIT, alloc);
    }

    /**
     * Returns a {@code ftyp} with {@code fileType}'s brands followed by the {@code moov} of
     * {@code tracks}.
     *
     * <p>Ownership: the caller releases the returned buffer.
     *
     * @throws IllegalArgumentException when {@code tracks} is empty or two share a {@code track_ID}
     * @throws io.livehub.media.MalformedMediaException when a codec configuration is malformed
     */
    public static ByteBuf encode(List<IsoTrack> tracks, FileType fileType, ByteBufAllocator alloc) {
        checkTracks(tracks);
        ByteBuf out = alloc.buffer(1024);
        try {
            BoxWriter w = new BoxWriter(out);
            fileType.write(w, "ftyp");
            writeMoov(w, tracks);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Writes the {@code moov} box described in the class notes. */
    static void writeMoov(BoxWriter w, List<IsoTrack> tracks) {
        int nextTrackId = 1;
        for (IsoTrack t : tracks) {
            nextTrackId = Math.max(nextTrackId, t.trackId() + 1);
        }
        w.begin("moov");
        writeMvhd(w, nextTrackId);
        for (IsoTrack t : tracks) {
            writeTrak(w, t);
        }
        w.begin("mvex");
        for (IsoTrack t : tracks) {
            w.beginFull("trex", 0, 0) // §8.8.3
                    .u32(t.trackId())
                    .u32(1) // default_sample_description_index
                    .u32(0) // default_sample_duration: every trun says
                    .u32(0) // default_sample_size: every trun says
                    .u32(0) // default_sample_flags: every trun says
                    .end();
        }
        w.end(); // mvex
        w.end(); // moov
    }

    /** Writes an {@code mvhd} (§8.2.2) of unknown (zero) duration, as a fragmented file's is. */
    static void writeMvhd(BoxWriter w, int nextTrackId) {
        writeMvhd(w, nextTrackId, 0);
    }

    /**
     * Writes an {@code mvhd} (§8.2.2) with {@code duration} in {@link #MOVIE_TIMESCALE} ticks:
     * version 0, or version 1 when the duration needs 64 bits.
     */
    static void writeMvhd(BoxWriter w, int nextTrackId, long duration) {
        boolean v1 = duration > MAX_U32;
        w.beginFull("mvhd", v1 ? 1 : 0, 0);
        times(w, v1); // creation_time, modification_time: unknown
        w.u32(MOVIE_TIMESCALE);
        duration(w, v1, duration);
        w.u32(0x0001_0000) // rate 1.0
                .u16(0x0100) // volume 1.0
                .u16(0) // reserved
                .zeros(8); // reserved[2]
        matrix(w);
        w.zeros(24) // pre_defined[6]
                .u32(nextTrackId)
                .end();
    }

    private static void writeTrak(BoxWriter w, IsoTrack t) {
        Track track = t.track();
        writeTrak(w, new TrakSpec(t.trackId(), t.isVideo(), t.timescale(), track.width(), track.height(), 0, 0),
                null, sw -> {
                    sw.beginFull("stsd", 0, 0).u32(1); // entry_count
                    SampleEntryWriter.write(sw, t);
                    sw.end();
                }, InitSegmentEncoder::writeEmptyTables);
    }

    /** The samples are in the fragments; these tables stay empty (§8.8.1). */
    private static void writeEmptyTables(BoxWriter w) {
        w.beginFull("stts", 0, 0).u32(0).end();
        w.beginFull("stsc", 0, 0).u32(0).end();
        w.beginFull("stsz", 0, 0).u32(0).u32(0).end(); // sample_size, sample_count
        w.beginFull("stco", 0, 0).u32(0).end();
    }

    /**
     * Describes the header fields of one {@code trak}.
     *
     * @param tkhdDuration the track's duration in {@link #MOVIE_TIMESCALE} ticks, edits included; 0 when unknown
     * @param mdhdDuration the media's duration in {@code timescale} ticks; 0 when unknown
     */
    record TrakSpec(int trackId, boolean video, int timescale, int width, int height, long tkhdDuration,
            long mdhdDuration) {
    }

    /**
     * Writes a {@code trak} (§8.3.1): {@code tkhd}, the optional {@code edts} that {@code edits}
     * writes, and {@code mdia} whose {@code stbl} holds what {@code sampleDescription} (the
     * {@code stsd}) and {@code tables} write. Shared by the init segment of a fragmented file
     * and the {@code moov} of a progressive one, so both describe a track the same way.
     */
    static void writeTrak(BoxWriter w, TrakSpec t, Consumer<BoxWriter> edits, Consumer<BoxWriter> sampleDescription,
            Consumer<BoxWriter> tables) {
        boolean video = t.video();
        boolean tkhdV1 = t.tkhdDuration() > MAX_U32;
        w.begin("trak");
        w.beginFull("tkhd", tkhdV1 ? 1 : 0, TKHD_FLAGS);
        times(w, tkhdV1); // creation_time, modification_time
        w.u32(t.trackId())
                .u32(0); // reserved
        duration(w, tkhdV1, t.tkhdDuration());
        w.zeros(8) // reserved[2]
                .u16(0) // layer
                .u16(0) // alternate_group: none
                .u16(video ? 0 : 0x0100) // volume: 1.0 for audio
                .u16(0); // reserved
        matrix(w);
        w.u32(video ? (long) t.width() << 16 : 0) // width, 16.16
                .u32(video ? (long) t.height() << 16 : 0) // height, 16.16
                .end();
        if (edits != null) {
            edits.accept(w);
        }
        w.begin("mdia");
        boolean mdhdV1 = t.mdhdDuration() > MAX_U32;
        w.beginFull("mdhd", mdhdV1 ? 1 : 0, 0); // §8.4.2
        times(w, mdhdV1); // creation_time, modification_time
        w.u32(t.timescale());
        duration(w, mdhdV1, t.mdhdDuration());
        w.u16(LANGUAGE_UND) // pad bit 0, language
                .u16(0) // pre_defined
                .end();
        w.beginFull("hdlr", 0, 0) // §8.4.3
                .u32(0) // pre_defined
                .fourCcField(video ? "vide" : "soun")
                .zeros(12) // reserved[3]
                .bytes(video ? VIDEO_HANDLER_NAME : SOUND_HANDLER_NAME)
                .end();
        w.begin("minf");
        if (video) {
            w.beginFull("vmhd", 0, 1) // §12.1.2; flags 1 as the spec requires
                    .u16(0) // graphicsmode: copy
                    .zeros(6) // opcolor
                    .end();
        } else {
            w.beginFull("smhd", 0, 0) // §12.2.2
                    .u16(0) // balance: centre
                    .u16(0) // reserved
                    .end();
        }
        w.begin("dinf").beginFull("dref", 0, 0) // §8.7.2
                .u32(1) // entry_count
                .beginFull("url ", 0, 1).end() // flags 1: the media is in this file
                .end().end();
        w.begin("stbl");
        sampleDescription.accept(w);
        tables.accept(w);
        w.end(); // stbl
        w.end(); // minf
        w.end(); // mdia
        w.end(); // trak
    }

    /** Writes creation_time and modification_time, unknown (0), 32 or 64 bits each. */
    private static void times(BoxWriter w, boolean v1) {
        if (v1) {
            w.u64(0).u64(0);
        } else {
            w.u32(0).u32(0);
        }
    }

    private static void duration(BoxWriter w, boolean v1, long duration) {
        if (v1) {
            w.u64(duration);
        } else {
            w.u32(duration);
        }
    }

    private static void matrix(BoxWriter w) {
        for (int v : UNITY_MATRIX) {
            w.u32(v);
        }
    }

    private static void checkTracks(List<IsoTrack> tracks) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("an init segment needs at least one track");
        }
        Set<Integer> ids = new HashSet<>();
        for (IsoTrack t : tracks) {
            if (!ids.add(t.trackId())) {
                throw new IllegalArgumentException("two tracks with track_ID " + t.trackId());
            }
        }
    }
}

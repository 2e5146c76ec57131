package io.livehub.virtual.flv;

import io.livehub.flv.FlvMediaDecoder;
import io.livehub.flv.FlvTag;
import io.livehub.flv.FlvTagDecoder;
import io.livehub.flv.FlvTagType;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.virtual.MediaFileReader;
import io.livehub.virtual.UnsupportedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads an FLV file, legacy or enhanced, into hub frames with core's {@link FlvTagDecoder} and
 * {@link FlvMediaDecoder}: the file is read in chunks of {@value #CHUNK} bytes with positional
 * reads, so memory stays at one chunk plus one tag (at most {@code maxTagSize}).
 *
 * <p>The media decoder is kept across {@link #rewind()}s, so an unchanged sequence header at
 * the start of the next pass yields no new {@link io.livehub.media.Track}: frames of every pass
 * share the track objects and egress does not resend the configuration. Its 32-bit timestamp
 * unwrapping takes the jump back to the first tag as a step back, not a wrap.
 *
 * <p>{@link #open} reads the first tags to refuse a file whose codec the hub does not carry
 * (Sorenson H.263, VP6, PCM, Speex, ...) with {@link UnsupportedMediaException} naming it.
 *
 * <p>Thread-safety: not thread-safe.
 */
public final class FlvFileReader implements MediaFileReader {

    /** Bytes read from the file at a time. */
    static final int CHUNK = 64 * 1024;
    /** Tags looked at by {@link #open} for the codecs: enough to pass the metadata and reach both tracks. */
    private static final int PROBE_TAGS = 64;

    private final FileChannel channel;
    private final String name;
    private final ByteBufAllocator alloc;
    private final int maxTagSize;
    private final long fileSize;
    private final FlvMediaDecoder media = new FlvMediaDecoder();
    private final ArrayDeque<MediaFrame> ready = new ArrayDeque<>(4);
    private FlvTagDecoder tags;
    private ByteBuf buffer;
    private long filePos;

    private FlvFileReader(FileChannel channel, String name, ByteBufAllocator alloc, int maxTagSize) throws IOException {
        this.channel = channel;
        this.name = name;
        this.alloc = alloc;
        this.maxTagSize = maxTagSize;
        this.fileSize = channel.size();
        rewind();
    }

    /**
     * Opens {@code file} and checks the codecs of its first tags.
     *
     * @param maxTagSize the largest tag body accepted (see {@link FlvTagDecoder#DEFAULT_MAX_TAG_SIZE})
     * @throws UnsupportedMediaException when a track's codec is not one the hub carries
     * @throws MalformedMediaException when the file is not FLV or is malformed
     */
    public static FlvFileReader open(Path file, int maxTagSize, ByteBufAllocator alloc) throws IOException {
        return open(FileChannel.open(file, StandardOpenOption.READ), String.valueOf(file.getFileName()), maxTagSize,
                alloc);
    }

    /**
     * Opens the FLV file read by {@code channel}, which the reader closes (also when this fails).
     *
     * @param name the file's name, for messages
     */
    public static FlvFileReader open(FileChannel channel, String name, int maxTagSize, ByteBufAllocator alloc)
            throws IOException {
        FileChannel ch = channel;
        FlvFileReader r = null;
        try {
            r = new FlvFileReader(ch, name, Objects.requireNonNull(alloc, "alloc"), maxTagSize);
            r.probe();
            r.rewind();
            return r;
        } catch (IOException | RuntimeException e) {
            if (r != null) {
                r.close();
            } else {
                ch.close();
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    private void probe() throws IOException {
        for (int i = 0; i < PROBE_TAGS; i++) {
            FlvTag tag = nextTag();
            if (tag == null) {
                return;
            }
            try {
                ByteBuf body = tag.content();
                if (!body.isReadable()) {
                    continue;
                }
                int first = body.getUnsignedByte(body.readerIndex());
                if (tag.type() == FlvTagType.VIDEO) {
                    checkVideo(first, body);
                } else if (tag.type() == FlvTagType.AUDIO) {
                    checkAudio(first, body);
                }
            } finally {
                tag.release();
            }
        }
    }

    private void checkVideo(int first, ByteBuf body) {
        if ((first & 0x80) != 0) { // Enhanced RTMP: IsExHeader, then a FourCC
            String fourCc = fourCc(body);
            if (!fourCc.equals("avc1") && !fourCc.equals("hvc1") && !fourCc.equals("av01") && !fourCc.equals("vp09")) {
                throw new UnsupportedMediaException("unsupported video codec '" + fourCc + "' in " + name);
            }
            return;
        }
        int codecId = first & 0x0F;
        if ((first & 0xF0) == 0x50) {
            return; // video info/command frame, no codec
        }
        if (codecId != 7 && codecId != 12) {
            String[] names = {"0", "jpeg", "h263", "screen", "vp6", "vp6a", "screen2", "avc", "8", "9", "10", "11",
                "hevc", "13", "14", "15"};
            throw new UnsupportedMediaException("unsupported video codec '" + names[codecId] + "' in " + name);
        }
    }

    private void checkAudio(int first, ByteBuf body) {
        int format = first >>> 4;
        if (format == 9) { // Enhanced RTMP: ExHeader, then a FourCC
            String fourCc = fourCc(body);
            if (!fourCc.equals("mp4a") && !fourCc.equals("Opus") && !fourCc.equals(".mp3")) {
                throw new UnsupportedMediaException("unsupported audio codec '" + fourCc + "' in " + name);
            }
            return;
        }
        if (format != 10 && format != 2 && format != 14) {
            String[] names = {"pcm", "adpcm", "mp3", "pcm-le", "nellymoser16", "nellymoser8", "nellymoser", "g711a",
                "g711u", "9", "aac", "speex", "12", "13", "mp3-8k", "device"};
            throw new UnsupportedMediaException("unsupported audio codec '" + names[format] + "' in " + name);
        }
    }

    private static String fourCc(ByteBuf body) {
        if (body.readableBytes() < 5) {
            return "?";
        }
        return body.toString(body.readerIndex() + 1, 4, StandardCharsets.ISO_8859_1);
    }

    @Override
    public MediaFrame next() throws IOException {
        while (ready.isEmpty()) {
            FlvTag tag = nextTag();
            if (tag == null) {
                return null;
            }
            try {
                media.decode(tag, ready::add);
            } catch (MalformedMediaException e) {
                throw new MalformedMediaException(name + ": " + e.getMessage(), e);
            } finally {
                tag.release();
            }
        }
        return ready.poll();
    }

    /** Returns the next tag, reading more of the file as needed; null at its end. */
    private FlvTag nextTag() throws IOException {
        while (true) {
            FlvTag tag;
            try {
                tag = tags.decode(buffer);
            } catch (MalformedMediaException e) {
                throw new MalformedMediaException(name + ": " + e.getMessage(), e);
            }
            if (tag != null) {
                return tag;
            }
            if (filePos >= fileSize) {
                return null; // a truncated last tag is dropped, as a player would
            }
            int n = (int) Math.min(CHUNK, fileSize - filePos);
            if (buffer.readerIndex() > 0) {
                // Frames still hold retained slices of the read bytes, so they are never moved
                // (discardReadBytes would shift them under the frames): the unread rest is copied.
                ByteBuf fresh = alloc.buffer(Math.max(CHUNK, buffer.readableBytes() + n));
                fresh.writeBytes(buffer);
                buffer.release();
                buffer = fresh;
            }
            int read = buffer.writeBytes(channel, filePos, n);
            if (read <= 0) {
                return null;
            }
            filePos += read;
        }
    }

    @Override
    public void rewind() {
        for (MediaFrame f : ready) {
            f.release();
        }
        ready.clear();
        if (buffer != null) {
            buffer.release();
        }
        buffer = alloc.buffer(CHUNK);
        tags = new FlvTagDecoder(true, maxTagSize);
        filePos = 0;
    }

    @Override
    public void close() throws IOException {
        for (MediaFrame f : ready) {
            f.release();
        }
        ready.clear();
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        channel.close();
    }
}

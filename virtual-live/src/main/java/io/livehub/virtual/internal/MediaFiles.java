package io.livehub.virtual.internal;

import io.livehub.virtual.MediaFileReader;
import io.livehub.virtual.UnsupportedMediaException;
import io.livehub.virtual.VirtualLiveConfig;
import io.livehub.virtual.flv.FlvFileReader;
import io.livehub.virtual.mp4.Mp4Reader;
import io.livehub.virtual.mp4.RandomAccessInput;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** Opens a media file with the reader its first bytes call for: FLV by its signature, MP4 by its first box. */
public final class MediaFiles {

    /** Top-level boxes an MP4 file starts with (ISO/IEC 14496-12, 4.3 and 8.16). */
    private static final Set<String> MP4_FIRST_BOXES = Set.of("ftyp", "styp", "moov", "mdat", "free", "skip",
            "wide", "moof", "pdin", "uuid");

    private MediaFiles() {
    }

    /**
     * Opens {@code file}.
     *
     * @throws UnsupportedMediaException when the format or a codec is not supported
     */
    public static MediaFileReader open(Path file, VirtualLiveConfig config, ByteBufAllocator alloc)
            throws IOException {
        // Not following a link: the path was resolved to its real path inside the media root,
        // and a link swapped in since then must not lead out of it.
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        String name = String.valueOf(file.getFileName());
        try {
            ByteBuffer head = ByteBuffer.allocate(8);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // read the first 8 bytes, or what there is
            }
            int n = head.position();
            byte[] b = head.array();
            if (n >= 3 && b[0] == 'F' && b[1] == 'L' && b[2] == 'V') {
                return FlvFileReader.open(ch, name, config.maxFlvTagSize(), alloc);
            }
            if (n == 8 && MP4_FIRST_BOXES.contains(new String(b, 4, 4, StandardCharsets.ISO_8859_1))) {
                return Mp4Reader.open(RandomAccessInput.of(ch), name, config.mp4Limits(), alloc, ch);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        ch.close();
        throw new UnsupportedMediaException("unsupported file format of " + name + " (not MP4 or FLV)");
    }
}

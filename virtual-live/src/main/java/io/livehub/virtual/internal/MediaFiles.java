package io.livehub.virtual.internal;

import io.livehub.virtual.MediaFileReader;
import io.livehub.virtual.UnsupportedMediaException;
import io.livehub.virtual.VirtualLiveConfig;
import io.livehub.virtual.flv.FlvFileReader;
import io.livehub.virtual.mp4.Mp4Reader;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 8);
        }
        if (n >= 3 && head[0] == 'F' && head[1] == 'L' && head[2] == 'V') {
            return FlvFileReader.open(file, config.maxFlvTagSize(), alloc);
        }
        if (n == 8 && MP4_FIRST_BOXES.contains(new String(head, 4, 4, StandardCharsets.ISO_8859_1))) {
            return Mp4Reader.open(file, config.mp4Limits(), alloc);
        }
        throw new UnsupportedMediaException("unsupported file format of " + file.getFileName()
                + " (not MP4 or FLV)");
    }
}

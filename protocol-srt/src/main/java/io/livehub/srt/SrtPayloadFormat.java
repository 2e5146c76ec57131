package io.livehub.srt;

/**
 * Converts between SRT payloads and hub frames for {@link SrtModule}: MPEG-TS in 1316-byte
 * payloads in practice (seven 188-byte TS packets), supplied by core's TS muxer/demuxer.
 *
 * <p>Thread-safety: the factory methods may be called from any thread; each demuxer and
 * muxer is used by one connection on its event loop.
 */
public interface SrtPayloadFormat {

    /** Returns a new demuxer for one publishing connection. */
    SrtPayloadDemuxer newDemuxer();

    /**
     * Returns a new muxer for one playing connection, cutting payloads of at most
     * {@code payloadSize} bytes; {@code forms} are the server's egress forms
     * ({@code StreamHub.egressForms()}), in which a frame's shared encoding is cached.
     */
    SrtPayloadMuxer newMuxer(int payloadSize, io.livehub.media.EgressForms forms);
}

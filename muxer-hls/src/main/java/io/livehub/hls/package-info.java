/** HTTP Live Streaming out of the hub (RFC 8216, https://www.rfc-editor.org/rfc/rfc8216): live playlists with MPEG-TS or fMP4 segments, served from memory. */
package io.livehub.hls;

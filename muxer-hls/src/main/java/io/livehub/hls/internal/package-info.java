/** The HLS muxer's internals (RFC 8216, https://www.rfc-editor.org/rfc/rfc8216); not API. */
package io.livehub.hls.internal;

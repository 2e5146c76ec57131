/** SRTP and SRTCP protection, RFC 3711 (https://www.rfc-editor.org/rfc/rfc3711). */
package io.livehub.webrtc.srtp;

/** DTLS 1.2 server with the DTLS-SRTP key exchange, RFC 5764 (https://www.rfc-editor.org/rfc/rfc5764). */
package io.livehub.webrtc.dtls;

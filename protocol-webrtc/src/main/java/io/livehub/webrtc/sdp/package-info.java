/** SDP offers and answers for WebRTC, RFC 8866 and RFC 8829 (https://www.rfc-editor.org/rfc/rfc8829). */
package io.livehub.webrtc.sdp;

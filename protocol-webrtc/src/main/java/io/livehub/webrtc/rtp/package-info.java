/** RTP and RTCP for WebRTC media, RFC 3550 (https://www.rfc-editor.org/rfc/rfc3550), with H.264 per RFC 6184 and Opus per RFC 7587. */
package io.livehub.webrtc.rtp;

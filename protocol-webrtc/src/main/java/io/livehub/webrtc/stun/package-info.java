/** STUN messages for ICE connectivity checks, RFC 8489 (https://www.rfc-editor.org/rfc/rfc8489). */
package io.livehub.webrtc.stun;

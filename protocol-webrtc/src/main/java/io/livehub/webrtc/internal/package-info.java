/** WebRTC transport, sessions and WHEP signalling; not API (https://datatracker.ietf.org/doc/draft-ietf-wish-whep/). */
package io.livehub.webrtc.internal;

/** WebRTC playback over WHEP (and later ingest over WHIP), draft-ietf-wish-whep (https://datatracker.ietf.org/doc/draft-ietf-wish-whep/). */
package io.livehub.webrtc;

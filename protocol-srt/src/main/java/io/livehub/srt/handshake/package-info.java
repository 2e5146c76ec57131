/** SRT handshake packet and its extensions, draft-sharabayko-srt sections 3.2.1 and 4.3 (https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3.2.1). */
package io.livehub.srt.handshake;

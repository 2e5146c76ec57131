/** SRT data and control packet codecs, draft-sharabayko-srt section 3 (https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3). */
package io.livehub.srt.packet;

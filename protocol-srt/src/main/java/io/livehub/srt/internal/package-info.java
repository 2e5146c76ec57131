/** SRT connection machinery (not API): multiplexer, sockets, buffers, draft-sharabayko-srt section 4 (https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-4). */
package io.livehub.srt.internal;

/** Pure-Java SRT listener and caller, following draft-sharabayko-srt (https://datatracker.ietf.org/doc/html/draft-sharabayko-srt). */
package io.livehub.srt;

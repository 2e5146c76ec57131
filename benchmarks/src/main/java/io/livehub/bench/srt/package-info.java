/** SRT receive throughput tools: a Livehub SRT server and a paced SRT feeder (draft-sharabayko-srt). */
package io.livehub.bench.srt;

/** HLS benchmarks: publish-to-playable time and Low-Latency HLS end-to-end latency (draft-pantos-hls-rfc8216bis). */
package io.livehub.bench.hls;

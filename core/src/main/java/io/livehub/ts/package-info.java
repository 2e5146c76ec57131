/** MPEG-2 transport stream mux and demux for HLS, SRT and UDP: <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1</a>. */
package io.livehub.ts;

/** ISO base media file format writer, fragmented (CMAF, fMP4 HLS, recordings) and progressive (fast-start MP4), and its sample entries: <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12</a>. */
package io.livehub.isobmff;

/** A reader of progressive and fragmented MP4 files into hub frames: <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12</a> (ISOBMFF) and 14496-15 (AVC/HEVC in ISOBMFF). */
package io.livehub.virtual.mp4;

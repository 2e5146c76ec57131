/** Recording to MP4 (ISO/IEC 14496-12, https://www.iso.org/standard/83102.html): fragmented while recording so a crash loses at most a fragment, finished as a fast-start progressive file. */
package io.livehub.mp4;

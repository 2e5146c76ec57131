/** Virtual live: a media file on the server published as a live stream, paced by its media clock and looped (issue 19; containers per <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12</a> and <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV v10.1</a>). */
package io.livehub.virtual;

/** A reader of FLV files, legacy and enhanced, into hub frames: <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV v10.1 Annex E</a> and <a href="https://github.com/veovera/enhanced-rtmp">Enhanced RTMP v2</a>. */
package io.livehub.virtual.flv;

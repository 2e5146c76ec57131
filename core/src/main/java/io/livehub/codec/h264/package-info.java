/** H.264/AVC parameter sets and MP4 configuration: <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264</a> and ISO/IEC 14496-15 §5. */
package io.livehub.codec.h264;

/** H.265/HEVC parameter sets and MP4 configuration: <a href="https://www.itu.int/rec/T-REC-H.265">ITU-T H.265</a> and ISO/IEC 14496-15 §8. */
package io.livehub.codec.h265;

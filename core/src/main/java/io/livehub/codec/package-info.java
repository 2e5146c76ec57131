/** Shared bit-level and NAL unit framing helpers for the codec parsers: <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264</a> §7.2, §7.4.1 and Annex B. */
package io.livehub.codec;

/** MPEG-4 AAC configuration and ADTS framing: ISO/IEC 14496-3 §1.6.2.1 and §1.A.2, <a href="https://www.iso.org/standard/76383.html">ISO/IEC 14496-3</a>. */
package io.livehub.codec.aac;

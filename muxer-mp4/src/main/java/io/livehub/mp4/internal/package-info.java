/** Internals of MP4 recording: reading fragmented files back (ISO/IEC 14496-12 §8.8, https://www.iso.org/standard/83102.html), file naming and the hub side; not API. */
package io.livehub.mp4.internal;

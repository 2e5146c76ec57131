/** Livehub: an embeddable live-streaming server; start with {@link io.livehub.MediaServer#builder()}. */
package io.livehub;

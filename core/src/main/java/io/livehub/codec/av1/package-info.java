/** AV1 OBUs, sequence header and ISOBMFF configuration: <a href="https://aomediacodec.github.io/av1-spec/">AV1 Bitstream Specification</a> and <a href="https://aomediacodec.github.io/av1-isobmff/">AV1 Codec ISO Media File Format Binding</a>. */
package io.livehub.codec.av1;

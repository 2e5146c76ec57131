/** AMF0 and AMF3 value codecs: <a href="https://rtmp.veriskope.com/pdf/amf0-file-format-specification.pdf">AMF0 spec</a>, <a href="https://rtmp.veriskope.com/pdf/amf3-file-format-spec.pdf">AMF3 spec</a>. */
package io.livehub.rtmp.amf;

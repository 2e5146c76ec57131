/** The RTMP chunk stream codec: <a href="https://rtmp.veriskope.com/docs/spec/">Adobe RTMP specification 1.0 (2012)</a> §5.3. */
package io.livehub.rtmp.chunk;

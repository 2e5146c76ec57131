/** The RTMP handshake, simple and digest: <a href="https://rtmp.veriskope.com/docs/spec/">Adobe RTMP specification 1.0 (2012)</a> §5.2. */
package io.livehub.rtmp.handshake;

/** The RTMP and RTMPS client, publishing and playing: <a href="https://rtmp.veriskope.com/docs/spec/">Adobe RTMP specification 1.0 (2012)</a> §7.2, with Enhanced RTMP v2. */
package io.livehub.rtmp.client;

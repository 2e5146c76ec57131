/** RTMP messages, protocol control, user control and commands: <a href="https://rtmp.veriskope.com/docs/spec/">Adobe RTMP specification 1.0 (2012)</a> §5.4, §6, §7. */
package io.livehub.rtmp.message;

/** RTMP and RTMPS server and client, and HTTP-FLV playback: Adobe RTMP 1.0 (2012) with Enhanced RTMP v2. */
package io.livehub.rtmp;

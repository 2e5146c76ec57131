/** RTMP session internals; not API. */
package io.livehub.rtmp.internal;

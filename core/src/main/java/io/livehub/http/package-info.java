/** The shared HTTP/1.1 endpoint (RFC 9112) on which HTTP-FLV, HLS and the API are served. */
package io.livehub.http;

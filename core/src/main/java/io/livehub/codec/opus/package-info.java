/** Opus identification header: <a href="https://www.rfc-editor.org/rfc/rfc7845#section-5.1">RFC 7845 §5.1</a>. */
package io.livehub.codec.opus;

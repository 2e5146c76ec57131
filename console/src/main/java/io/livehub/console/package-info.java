/** A web console and browser players served from the jar: https://www.rfc-editor.org/rfc/rfc9110 (HTTP semantics, caching validators). */
package io.livehub.console;

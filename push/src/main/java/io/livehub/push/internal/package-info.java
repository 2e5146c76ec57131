/** The push engine's internals (tasks, destinations, timestamp rebasing); not API: ARCHITECTURE.md section 9. */
package io.livehub.push.internal;

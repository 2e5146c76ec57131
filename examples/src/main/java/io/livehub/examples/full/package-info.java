/** The full example server, packaged as {@code examples/target/livehub-server.jar}. */
package io.livehub.examples.full;

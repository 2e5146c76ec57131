/** Runnable example servers built with Livehub. */
package io.livehub.examples;

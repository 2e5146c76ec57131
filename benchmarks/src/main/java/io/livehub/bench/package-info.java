/** JMH benchmarks of Livehub's hot paths and load tools: see benchmarks/README.md. */
package io.livehub.bench;

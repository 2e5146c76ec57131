/** Prometheus metrics for a Livehub server: https://prometheus.io/docs/instrumenting/exposition_formats/ */
package io.livehub.metrics;

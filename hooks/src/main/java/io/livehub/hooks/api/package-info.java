/**
 * The management API: a Java view of a running {@link io.livehub.MediaServer} (streams,
 * clients, kick, publish secret, version and summary) in {@link io.livehub.hooks.api.ManagementApi},
 * and its HTTP/JSON adapter with SRS's paths and shapes in
 * {@link io.livehub.hooks.api.ManagementHttpService}.
 */
package io.livehub.hooks.api;

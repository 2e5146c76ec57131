/**
 * The OWT proxy example: Livehub brings RTMP streams into rooms of an Open WebRTC Toolkit
 * server through its REST API; see {@link io.livehub.examples.owt.OwtProxy}.
 */
package io.livehub.examples.owt;

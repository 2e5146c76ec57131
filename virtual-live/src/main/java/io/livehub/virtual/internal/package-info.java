/** The virtual live module's internals (pacing, the file publisher's session, media root checks); not API. */
package io.livehub.virtual.internal;

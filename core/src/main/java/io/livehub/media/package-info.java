/** The neutral media model every protocol converts to and from: see ARCHITECTURE.md section 2. */
package io.livehub.media;

/** Delivery machinery of the HTTP callbacks; not API. See ARCHITECTURE.md section 5. */
package io.livehub.hooks.internal;

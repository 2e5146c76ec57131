/** The event and listener vocabulary shared by every module: see ARCHITECTURE.md section 5. */
package io.livehub.event;

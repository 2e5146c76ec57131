/** Small utilities shared by the modules (rate-limited logging): ARCHITECTURE.md section 6. */
package io.livehub.util;

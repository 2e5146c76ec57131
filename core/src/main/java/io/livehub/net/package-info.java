/** Connection-level protection shared by the TCP and UDP servers (per-address and total caps): ARCHITECTURE.md section 6. */
package io.livehub.net;

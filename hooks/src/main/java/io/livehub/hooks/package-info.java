/** HTTP callbacks with SRS and SRS Stack bodies, and stream secrets: see ARCHITECTURE.md section 5 and https://ossrs.io/lts/en-us/docs/v6/doc/http-callback. */
package io.livehub.hooks;

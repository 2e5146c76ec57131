/** One client-session lifecycle for every protocol (connect, publish or play, unpublish or stop, close): ARCHITECTURE.md section 3, "Client sessions". */
package io.livehub.session;

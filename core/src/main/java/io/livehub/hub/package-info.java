/** The lock-free stream hub that fans each publisher out to many subscribers: ARCHITECTURE.md section 3. */
package io.livehub.hub;

/** The small SPI through which protocol modules plug into a {@link io.livehub.MediaServer}: ARCHITECTURE.md section 1. */
package io.livehub.spi;

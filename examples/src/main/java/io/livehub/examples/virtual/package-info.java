/** A virtual live server: files played as looped live streams (issue 19; SRS Stack's virtual live events). */
package io.livehub.examples.virtual;

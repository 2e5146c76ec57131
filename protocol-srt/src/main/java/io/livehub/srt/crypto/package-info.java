/** SRT encryption primitives: key derivation, key wrap and AES-CTR payloads (draft-sharabayko-srt section 6, <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-6">spec</a>). */
package io.livehub.srt.crypto;

/**
 * The optional shared secret of a console server: every call must carry gRPC
 * metadata `authorization: Bearer <token>`. Compared in constant time over
 * digests, so neither the token's length nor its prefix leaks through timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

export class BearerToken {
  readonly #expected: Buffer;

  constructor(token: string) {
    this.#expected = digest(token);
  }

  /** Whether the `authorization` header (absent, one, or repeated) is `Bearer <token>` (the scheme in any case). */
  accepts(header: string | string[] | undefined): boolean {
    if (typeof header !== "string") return false;
    const match = /^bearer +(.+)$/i.exec(header.trim());
    return match !== null && timingSafeEqual(digest(match[1]!), this.#expected);
  }
}

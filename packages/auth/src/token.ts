// Opaque bearer secrets (session cookies, ingest tokens): random, and stored only as a SHA-256.
import { createHash, randomBytes } from 'node:crypto';

/** A URL-safe random secret of `bytes` bytes of entropy. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 hex digest: what is stored for a secret (high-entropy, so no salt or slow hash is needed). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

// Password hashing with argon2id (OWASP Password Storage Cheat Sheet parameters: m=19 MiB, t=2, p=1).
import { Algorithm, hash, verify } from '@node-rs/argon2';

const ARGON2ID_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** The argon2id PHC string for `password`, salted at random. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID_OPTIONS);
}

/** True when `password` matches the PHC string; false (never a throw) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

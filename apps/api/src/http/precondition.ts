// Optimistic concurrency (RFC 9110 §13.1.1): resources carry a `version`, sent as a strong ETag (§8.8.3); a write
// with `If-Match` that no longer matches answers 412 instead of losing someone's update. Routes declare both
// (`precondition: 'if-match'`, `etag: 'version'`); the route mechanism reads the header and sends the ETag.
import { AppError } from './app-error.ts';

/** An answer with the version its ETag carries; null for resources without versions (no ETag). */
export type Versioned<T> = { item: T; version: number | null };

/** The strong ETag of a version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version named by an If-Match header, or undefined when the client sent none (unconditional write). */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^"(\d+)"$/.exec(header.trim());
  if (match?.[1] === undefined) {
    throw new AppError('BAD_REQUEST', 'Invalid If-Match header', {
      detail: 'Send the ETag you read, e.g. If-Match: "3".',
    });
  }
  return Number(match[1]);
}

/** Throws 412 when the client's If-Match version is not the current one. */
export function assertVersion(expected: number | undefined, current: number, entity: string): void {
  if (expected !== undefined && expected !== current) {
    throw new AppError('PRECONDITION_FAILED', 'Changed by someone else', {
      detail: `The ${entity} is at version ${current}, not ${expected}: reload it and apply your change again.`,
    });
  }
}

// Optimistic concurrency (RFC 9110 §13.1.1): resources carry a `version`, sent as a strong ETag;
// a write with `If-Match` that no longer matches answers 412 instead of losing someone's update.
import type { Request, Response } from 'express';
import { AppError } from './app-error.ts';

export function setEtag(res: Response, version: number): void {
  res.setHeader('ETag', `"${version}"`);
}

/** Sends the resource's version as its ETag and answers the resource. */
export function withVersionEtag<T extends { version: number }>(res: Response, resource: T): T {
  setEtag(res, resource.version);
  return resource;
}

/** The version named by If-Match, or undefined when the client sent none (unconditional write). */
export function ifMatchVersion(req: Request): number | undefined {
  const header = req.get('if-match');
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

// Writes RFC 9457 problem details.
import type { Response } from 'express';
import type { TProblem } from '@takt/contracts';

/** Problem `type` URIs are relative references into the API docs (RFC 9457 §3.1.1). */
export function problemType(code: string): string {
  return `/api/docs#problem-${code.toLowerCase().replaceAll('_', '-')}`;
}

export function sendProblem(res: Response, problem: TProblem): void {
  res.status(problem.status).type('application/problem+json').json(problem);
}

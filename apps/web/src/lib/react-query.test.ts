// Which failed queries are worth retrying.
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client.ts';
import { shouldRetry } from './react-query.ts';

const apiError = (status: number) => new ApiError({ type: 'about:blank', title: 'x', status });

describe('shouldRetry', () => {
  it.each([400, 401, 403, 404, 409, 429])('never retries a %i: the server meant it', (status) => {
    expect(shouldRetry(0, apiError(status))).toBe(false);
  });

  it('retries network failures and server errors twice', () => {
    for (const error of [apiError(0), apiError(502), new Error('boom')]) {
      expect(shouldRetry(0, error)).toBe(true);
      expect(shouldRetry(1, error)).toBe(true);
      expect(shouldRetry(2, error)).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from './login-rate-limiter.ts';

describe('LoginRateLimiter', () => {
  const policy = { maxFailures: 3, windowMs: 60_000 };

  it('lets a key try until it has maxFailures failures inside the window', () => {
    const limiter = new LoginRateLimiter(policy);
    limiter.recordFailure('ada', 0);
    limiter.recordFailure('ada', 1_000);
    expect(limiter.retryAfterMs('ada', 2_000)).toBe(0);
    limiter.recordFailure('ada', 2_000);
    // Blocked until the oldest of the three failures leaves the window.
    expect(limiter.retryAfterMs('ada', 2_000)).toBe(58_000);
    expect(limiter.retryAfterMs('bob', 2_000)).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const limiter = new LoginRateLimiter(policy);
    for (const at of [0, 1, 2]) limiter.recordFailure('ada', at);
    expect(limiter.retryAfterMs('ada', 59_999)).toBe(1);
    expect(limiter.retryAfterMs('ada', 60_000)).toBe(0);
  });

  it('starts afresh after reset (a successful sign-in)', () => {
    const limiter = new LoginRateLimiter(policy);
    for (const at of [0, 1, 2]) limiter.recordFailure('ada', at);
    limiter.reset('ada');
    expect(limiter.retryAfterMs('ada', 3)).toBe(0);
  });
});

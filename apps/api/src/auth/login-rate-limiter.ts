// Login throttling per account and per client IP (OWASP Authentication Cheat Sheet, "Account
// lockout"): failed attempts in a sliding window; over the limit → 429 with Retry-After.
// In memory, so per API process: a multi-instance deployment would move it to PostgreSQL or Redis.

export type RateLimitPolicy = { maxFailures: number; windowMs: number };

export class LoginRateLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(private readonly policy: RateLimitPolicy) {}

  /** Milliseconds until `key` may try again, or 0 when it may try now. */
  retryAfterMs(key: string, nowMs: number): number {
    const recent = this.#recent(key, nowMs);
    if (recent.length < this.policy.maxFailures) return 0;
    const oldest = recent[recent.length - this.policy.maxFailures] ?? nowMs;
    return Math.max(1, oldest + this.policy.windowMs - nowMs);
  }

  recordFailure(key: string, nowMs: number): void {
    this.#failures.set(key, [...this.#recent(key, nowMs), nowMs]);
  }

  reset(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, nowMs: number): number[] {
    const kept = (this.#failures.get(key) ?? []).filter((at) => at > nowMs - this.policy.windowMs);
    if (kept.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, kept);
    return kept;
  }
}

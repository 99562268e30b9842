import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limit.js';

describe('FailureLimiter', () => {
  it('refuses after max failures in the window, and lets the key try again once the window has passed', () => {
    let now = 0;
    const limiter = new FailureLimiter(3, 60_000, () => now);
    for (let k = 0; k < 3; k++) {
      expect(limiter.retryAfter('ip')).toBe(0);
      limiter.fail('ip');
      now += 1000;
    }
    expect(limiter.retryAfter('ip')).toBe(57); // the first failure (t=0) leaves the window at t=60 s
    expect(limiter.retryAfter('other')).toBe(0);
    now = 61_000;
    expect(limiter.retryAfter('ip')).toBe(0);
  });

  it('forgets a key on success', () => {
    const limiter = new FailureLimiter(1, 60_000, () => 0);
    limiter.fail('a');
    expect(limiter.retryAfter('a')).toBeGreaterThan(0);
    limiter.succeed('a');
    expect(limiter.retryAfter('a')).toBe(0);
  });
});

// The post-login redirect honours only same-origin paths.
import { describe, expect, it } from 'vitest';
import { redirectTargetFrom } from './redirect-target.ts';

describe('redirectTargetFrom', () => {
  it('returns the remembered page', () => {
    expect(redirectTargetFrom({ from: '/oee?line=plant1/assembly/line2' })).toBe('/oee?line=plant1/assembly/line2');
  });

  it.each([
    ['no state', null],
    ['state without a target', { other: 1 }],
    ['a non-string target', { from: 42 }],
    ['an absolute URL', { from: 'https://evil.example/' }],
    ['a protocol-relative URL', { from: '//evil.example/' }],
    ['a backslash trick', { from: '/\\evil.example' }],
    ['the login page itself', { from: '/login?x=1' }],
  ])('falls back to the overview for %s', (_case, state) => {
    expect(redirectTargetFrom(state)).toBe('/');
  });
});

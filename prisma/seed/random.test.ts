import { describe, expect, it } from 'vitest';
import { createRandom, hashSeed, mulberry32 } from './random.ts';

describe('mulberry32', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  it('matches the reference implementation, so the demo history does not drift between versions', () => {
    const next = mulberry32(1);
    expect([next(), next(), next()].map((x) => x.toFixed(8))).toEqual(['0.62707394', '0.00273572', '0.52744704']);
  });

  it('stays in [0, 1)', () => {
    const next = mulberry32(7);
    for (let i = 0; i < 10_000; i++) {
      const x = next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe('hashSeed', () => {
  it('is stable and tells machine paths apart', () => {
    expect(hashSeed('plant1/assembly/line1/press1')).toBe(hashSeed('plant1/assembly/line1/press1'));
    expect(hashSeed('plant1/assembly/line1/press1')).not.toBe(hashSeed('plant1/assembly/line2/press1'));
  });
});

describe('createRandom', () => {
  it('is deterministic for a string seed', () => {
    const a = createRandom('plant2/packaging/line1/filler1');
    const b = createRandom('plant2/packaging/line1/filler1');
    expect([a.int(1, 6), a.between(2, 3), a.exponential(10), a.logNormal(5, 0.8)]).toEqual([
      b.int(1, 6),
      b.between(2, 3),
      b.exponential(10),
      b.logNormal(5, 0.8),
    ]);
  });

  it('draws integers in the inclusive range and exponentials with about the asked mean', () => {
    const random = createRandom(123);
    const ints = new Set(Array.from({ length: 1_000 }, () => random.int(1, 3)));
    expect([...ints].sort()).toEqual([1, 2, 3]);
    const n = 20_000;
    const mean = Array.from({ length: n }, () => random.exponential(60)).reduce((s, x) => s + x, 0) / n;
    expect(mean).toBeGreaterThan(57);
    expect(mean).toBeLessThan(63);
  });

  it('picks by weight and refuses empty lists', () => {
    const random = createRandom(5);
    const picks = Array.from({ length: 10_000 }, () =>
      random.weighted([
        ['a', 9],
        ['b', 1],
      ] as const),
    );
    const share = picks.filter((p) => p === 'a').length / picks.length;
    expect(share).toBeGreaterThan(0.87);
    expect(share).toBeLessThan(0.93);
    expect(() => random.pick([])).toThrow(/non-empty/);
    expect(() => random.weighted([])).toThrow(/non-empty/);
  });
});

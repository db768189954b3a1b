import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HLL_REGISTERS, HLL_STANDARD_ERROR, HyperLogLog } from '../hyperloglog';

/** A deterministic 64-bit hash of visitor `i` of population `seed` (high and low word). */
function visitor(seed: string, i: number): [number, number] {
  const d = createHash('sha256').update(`${seed}:${i}`).digest();
  return [d.readUInt32BE(0), d.readUInt32BE(4)];
}

/** A sketch of n distinct visitors, each seen 1–3 times (repeats must not count). */
function population(seed: string, n: number): HyperLogLog {
  const s = new HyperLogLog();
  for (let i = 0; i < n; i++) {
    const [hi, lo] = visitor(seed, i);
    for (let r = 0; r <= i % 3; r++) s.add(hi, lo);
  }
  return s;
}

describe('HyperLogLog', () => {
  it.each([1_000, 10_000, 100_000])('estimates %i distinct visitors (with repeats) within 3 standard errors', (n) => {
    for (const seed of ['a', 'b']) {
      const estimate = population(`${seed}${n}`, n).estimate();
      expect(Math.abs(estimate - n), `estimate ${estimate} of ${n}`).toBeLessThanOrEqual(3 * HLL_STANDARD_ERROR * n);
    }
  });

  it('is empty at zero, counts one visitor as one, and ignores repeats', () => {
    const s = new HyperLogLog();
    expect(s.estimate()).toBe(0);
    expect(s.isEmpty()).toBe(true);
    const [hi, lo] = visitor('one', 1);
    expect(s.add(hi, lo)).toBe(true);
    expect(s.add(hi, lo)).toBe(false);
    expect(s.estimate()).toBe(1);
    // The extreme hashes land in a register too (all-zero rest: the highest rank).
    s.add(0, 0);
    s.add(0xffffffff, 0xffffffff);
    expect(s.registers[0]).toBe(64 - 12 + 1);
    expect(s.registers[HLL_REGISTERS - 1]).toBe(1);
  });

  it('merges to the sketch of the union (overlap counted once)', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 30_000; i++) {
      const [hi, lo] = visitor('union', i);
      if (i < 20_000) a.add(hi, lo);
      if (i >= 10_000) b.add(hi, lo);
    }
    const union = new HyperLogLog(a.registers.slice());
    union.merge(b);
    expect(Math.abs(union.estimate() - 30_000)).toBeLessThanOrEqual(3 * HLL_STANDARD_ERROR * 30_000);
    // Merging is idempotent: the union with itself changes nothing.
    const again = new HyperLogLog(union.registers.slice());
    again.merge(union);
    expect(again.registers).toEqual(union.registers);
  });

  it('serializes sparse when small, deflated when dense, and reads both back exactly', () => {
    const small = population('small', 50);
    const sparse = small.serialize();
    expect(sparse[0]).toBe(1);
    expect(sparse.length).toBeLessThanOrEqual(2 + 50 * 3);
    expect(HyperLogLog.deserialize(sparse).registers).toEqual(small.registers);

    const big = population('big', 50_000);
    const dense = big.serialize();
    expect(dense[0]).toBe(2);
    expect(dense.length).toBeLessThan(HLL_REGISTERS);
    expect(HyperLogLog.deserialize(dense).registers).toEqual(big.registers);
  });

  it('refuses blobs it did not write', () => {
    expect(() => HyperLogLog.deserialize(Buffer.from([]))).toThrow(RangeError);
    expect(() => HyperLogLog.deserialize(Buffer.from([1, 14]))).toThrow(/precision/);
    expect(() => HyperLogLog.deserialize(Buffer.from([1, 12, 0xff, 0xff, 1]))).toThrow(/damaged/);
    expect(() => HyperLogLog.deserialize(Buffer.from([1, 12, 0, 1]))).toThrow(/damaged/);
    expect(() => HyperLogLog.deserialize(Buffer.from([3, 12]))).toThrow(/kind/);
    expect(() => HyperLogLog.deserialize(Buffer.from([2, 12, 1, 2, 3]))).toThrow();
  });
});

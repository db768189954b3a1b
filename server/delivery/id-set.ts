/**
 * A set of 64-bit ids kept as pairs of uint32 in one typed array (open addressing, linear
 * probing, load ≤ ½): 16–32 bytes per id, against ~100 for a Set of id strings. Decision ids are
 * random, so their bits serve as the hash. The all-zero id is stored as 0:1.
 */
export class IdSet {
  private slots: Uint32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 256) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
  }

  /** Adds an id; false when it was already there. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    return this.insert(hi >>> 0, lo >>> 0);
  }

  /** Whether the id is in the set. */
  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    const s = this.slots;
    for (let i = (hi ^ lo) & this.mask; ; i = (i + 1) & this.mask) {
      const h = s[i * 2]!;
      const l = s[i * 2 + 1]!;
      if (h === 0 && l === 0) return false;
      if (h === hi >>> 0 && l === lo >>> 0) return true;
    }
  }

  private insert(hi: number, lo: number): boolean {
    const s = this.slots;
    for (let i = (hi ^ lo) & this.mask; ; i = (i + 1) & this.mask) {
      const h = s[i * 2]!;
      const l = s[i * 2 + 1]!;
      if (h === 0 && l === 0) {
        s[i * 2] = hi;
        s[i * 2 + 1] = lo;
        this.size++;
        return true;
      }
      if (h === hi && l === lo) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = old.length - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}

/** The first 64 bits of a base64url decision id, as [high, low] uint32 (the key of an IdSet). */
export function idKey(decisionId: string): [number, number] {
  const b = Buffer.from(decisionId, 'base64url');
  return [b.length >= 4 ? b.readUInt32BE(0) : 0, b.length >= 8 ? b.readUInt32BE(4) : 0];
}

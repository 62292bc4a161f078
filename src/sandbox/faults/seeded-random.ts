/**
 * A counter-based pseudo-random number: the `stream`-th draw of the `counter`-th request under `seed`, uniform
 * in [0, 1). The same three numbers always give the same draw, so a sequence of requests can be replayed
 * from a seed and a count kept in the store (no generator state to carry between processes).
 * Not for anything secret.
 */
export function seededUniform(seed: number, counter: number, stream: number): number {
  // splitmix32-style mixing of the three inputs (each reduced to 32 bits).
  let x = (seed >>> 0) ^ Math.imul(counter >>> 0, 0x9e3779b9) ^ Math.imul((stream + 1) >>> 0, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  x ^= x >>> 15;
  // Mix once more with the high bits of the counter, so that counts past 2^32 do not repeat.
  x = Math.imul(x ^ Math.floor(counter / 0x100000000), 0x9e3779b9);
  x ^= x >>> 16;
  return (x >>> 0) / 0x100000000;
}

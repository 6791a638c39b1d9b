import type { StorageLogger } from '../logger.js';

/** A deterministic pseudo-random source in [0, 1) (mulberry32), so a child's run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A writer child's logger: warnings and errors on stderr, for the parent to show on failure. */
export const STDERR_LOGGER: StorageLogger = {
  info: () => undefined,
  warn: (m) => process.stderr.write(`warn ${m}\n`),
  error: (m) => process.stderr.write(`error ${m}\n`),
};

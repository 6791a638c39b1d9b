const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

/**
 * A 128-bit digest of a key, after MurmurHash3's x86_128 variant (public domain, Austin
 * Appleby): four 32-bit lanes mixed over 16-byte blocks, then a finalisation that
 * avalanches every input bit into every output bit. The offset map keeps only digests
 * and trusts that two distinct keys never share one, as Kafka's SkimpyOffsetMap does
 * with MD5: for n keys the chance of any collision is about n^2 / 2^129 (10^-26 for a
 * million keys). It is not cryptographic: keys are producer data, and a producer that
 * crafted colliding keys could only remove its own topic's records.
 *
 * Writes the four lanes into `out` (no allocation: the cleaner hashes every record).
 */
export function keyDigest(buf: Buffer, start: number, length: number, out: Int32Array): void {
  let h1 = 0;
  let h2 = 0;
  let h3 = 0;
  let h4 = 0;
  const blocksEnd = start + (length & ~15);
  for (let i = start; i < blocksEnd; i += 16) {
    h1 ^= scramble(le32(buf, i), C1, 15, C2);
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    h2 ^= scramble(le32(buf, i + 4), C2, 16, C3);
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    h3 ^= scramble(le32(buf, i + 8), C3, 17, C4);
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    h4 ^= scramble(le32(buf, i + 12), C4, 18, C1);
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  // The 0-15 trailing bytes, little-endian into the lanes they fall in.
  const tail = length & 15;
  if (tail > 12) h4 ^= scramble(tailWord(buf, blocksEnd + 12, tail - 12), C4, 18, C1);
  if (tail > 8) h3 ^= scramble(tailWord(buf, blocksEnd + 8, Math.min(tail - 8, 4)), C3, 17, C4);
  if (tail > 4) h2 ^= scramble(tailWord(buf, blocksEnd + 4, Math.min(tail - 4, 4)), C2, 16, C3);
  if (tail > 0) h1 ^= scramble(tailWord(buf, blocksEnd, Math.min(tail, 4)), C1, 15, C2);

  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  out[0] = h1;
  out[1] = (h2 + h1) | 0;
  out[2] = (h3 + h1) | 0;
  out[3] = (h4 + h1) | 0;
}

function le32(buf: Buffer, at: number): number {
  return buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24);
}

function tailWord(buf: Buffer, at: number, bytes: number): number {
  let k = 0;
  for (let i = bytes - 1; i >= 0; i--) k = (k << 8) | buf[at + i]!;
  return k;
}

/** One input word's mix before it joins its lane. */
function scramble(k: number, before: number, rotation: number, after: number): number {
  return Math.imul(rotl(Math.imul(k, before), rotation), after);
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

import type { FieldMarks } from './marking-writer.js';
import type { Rng } from './random.js';

/** A request frame body (header and body, no size prefix) and what is known of its layout. */
export interface SeedFrame {
  readonly apiKey: number;
  readonly version: number;
  readonly flexible: boolean;
  /** The encoded request header and body. */
  readonly body: Buffer;
  /** Where the request body starts (after the header). */
  readonly headerLength: number;
  /** Length and count fields, as offsets into `body`. */
  readonly marks: FieldMarks;
}

export const MUTATIONS = [
  'none', 'truncate', 'truncate-lie', 'flip', 'insert', 'delete', 'prefix-oversize', 'prefix-negative', 'prefix-zero',
  'prefix-short', 'prefix-long', 'unknown-api', 'bad-version', 'bad-varint', 'array-length', 'string-length',
  'tagged-garbage', 'random', 'random-body', 'splice', 'burst',
] as const;

export type Mutation = (typeof MUTATIONS)[number];

/** How often each mutation is drawn: valid frames keep the handlers busy, the rest attack the grammar. */
export const MUTATION_WEIGHTS: Readonly<Record<Mutation, number>> = {
  'none': 30,
  'truncate': 6,
  'truncate-lie': 2,
  'flip': 12,
  'insert': 4,
  'delete': 4,
  'prefix-oversize': 1,
  'prefix-negative': 1,
  'prefix-zero': 1,
  'prefix-short': 2,
  'prefix-long': 2,
  'unknown-api': 3,
  'bad-version': 4,
  'bad-varint': 6,
  'array-length': 6,
  'string-length': 5,
  'tagged-garbage': 5,
  'random': 2,
  'random-body': 3,
  'splice': 2,
  // Not drawn per frame: a burst is a whole session of one valid frame repeated (FrameGenerator.burst).
  'burst': 0,
};

export interface MutationContext {
  readonly rng: Rng;
  /** The listener's socket.request.max.bytes. */
  readonly maxRequestBytes: number;
  /** API keys the listener serves (unknown-api draws others). */
  readonly servedApiKeys: ReadonlySet<number>;
  /** A second seed, for splicing. */
  readonly other: () => SeedFrame;
}

function withPrefix(size: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeInt32BE(size, 0);
  body.copy(out, 4);
  return out;
}

function framed(body: Buffer): Buffer {
  return withPrefix(body.length, body);
}

/** Length in bytes of the unsigned varint at `at` (up to the end of `buf`). */
function varintLength(buf: Buffer, at: number): number {
  let i = at;
  while (i < buf.length && (buf[i]! & 0x80) !== 0) i++;
  return Math.min(i + 1, buf.length) - at;
}

function readVarint(buf: Buffer, at: number): number {
  let value = 0;
  for (let i = 0; i < 5 && at + i < buf.length; i++) {
    const b = buf[at + i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) break;
  }
  return value;
}

function encodeVarint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

function replace(buf: Buffer, at: number, length: number, bytes: Buffer): Buffer {
  return Buffer.concat([buf.subarray(0, at), bytes, buf.subarray(at + length)]);
}

/** Bad and borderline unsigned varints: too long, beyond 32 bits, non-minimal, lying about sizes. */
function badVarint(rng: Rng, value: number, remaining: number): Buffer {
  return rng.weighted<() => Buffer>([
    [3, () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
    [2, () => Buffer.alloc(rng.range(6, 12), 0x80)],
    [3, () => Buffer.from([0xff, 0xff, 0xff, 0xff, rng.range(0x10, 0x7f)])],
    [2, () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])],
    [2, () => Buffer.from([(value & 0x7f) | 0x80, 0x80, 0x00])],
    [2, () => encodeVarint(remaining + rng.range(1, 3))],
    [2, () => encodeVarint(value + 1)],
    [1, () => encodeVarint(Math.max(0, value - 1))],
    [2, () => Buffer.from([0])],
    [1, () => Buffer.from([0x80])],
    [1, () => encodeVarint(rng.u32())],
  ])();
}

function int32Lie(rng: Rng, value: number, remaining: number): number {
  return rng.weighted([
    [3, -1], [2, -2], [1, -0x80000000], [2, 0x7fffffff], [3, remaining + 1], [2, Math.floor(remaining / 2) + 1], [2, value + 1], [1, value - 1], [1, rng.i32()],
  ]);
}

function int16Lie(rng: Rng, value: number, remaining: number): number {
  return rng.weighted([[3, -1], [2, -2], [1, -0x8000], [2, 0x7fff], [3, Math.min(0x7fff, remaining + 1)], [2, Math.min(0x7fff, value + 1)], [1, Math.max(-0x8000, value - 1)]]);
}

/** A tagged-field section, well formed or not: unknown tags a broker must skip, and lies. */
function taggedSection(rng: Rng): Buffer {
  const parts: Buffer[] = [];
  const kind = rng.weighted([[3, 'valid'], [2, 'unordered'], [2, 'long-field'], [1, 'huge-count'], [1, 'truncated']] as const);
  if (kind === 'huge-count') return encodeVarint(rng.pick([0x7fffffff, 1000, rng.u32()]));
  const n = rng.range(1, 4);
  parts.push(encodeVarint(n));
  let tag = rng.weighted([[3, 0], [2, 1], [1, 100], [1, rng.int(1 << 20)]]);
  for (let i = 0; i < n; i++) {
    const data = rng.bytes(rng.size(12));
    parts.push(encodeVarint(tag));
    parts.push(encodeVarint(kind === 'long-field' && i === n - 1 ? data.length + rng.range(1, 1000) : data.length));
    parts.push(data);
    tag = kind === 'unordered' ? Math.max(0, tag - rng.range(0, 2)) : tag + rng.range(1, 3);
  }
  const all = Buffer.concat(parts);
  return kind === 'truncated' ? all.subarray(0, rng.int(all.length)) : all;
}

function flip(rng: Rng, body: Buffer): Buffer {
  const out = Buffer.from(body);
  if (out.length === 0) return out;
  const n = rng.weighted([[6, 1], [3, 2], [1, rng.range(3, 16)]]);
  for (let i = 0; i < n; i++) {
    const at = rng.int(out.length);
    out[at] = rng.chance(0.5) ? out[at]! ^ (1 << rng.int(8)) : rng.int(256);
  }
  return out;
}

/**
 * Applies `mutation` to `seed` and returns the bytes to send: a size prefix (true or not)
 * and the body. Mutations that need a layout the seed does not have (a bad varint in a
 * non-flexible version) fall back to byte flips.
 */
export function mutate(seed: SeedFrame, mutation: Mutation, ctx: MutationContext): Buffer {
  const { rng } = ctx;
  const body = seed.body;
  switch (mutation) {
    case 'none':
    case 'burst':
      return framed(body);
    case 'truncate':
      return framed(body.subarray(0, rng.int(body.length)));
    case 'truncate-lie':
      return withPrefix(body.length, body.subarray(0, rng.int(body.length)));
    case 'flip':
      return framed(flip(rng, body));
    case 'insert': {
      const at = rng.int(body.length + 1);
      const bytes = rng.chance(0.5) ? rng.bytes(rng.range(1, 16)) : body.subarray(rng.int(body.length), rng.int(body.length) + rng.range(1, 64));
      return framed(replace(body, at, 0, bytes));
    }
    case 'delete': {
      const at = rng.int(body.length);
      return framed(replace(body, at, rng.range(1, 16), Buffer.alloc(0)));
    }
    case 'prefix-oversize':
      return withPrefix(rng.pick([ctx.maxRequestBytes + 1, 0x7fffffff, ctx.maxRequestBytes + rng.range(1, 1 << 20)]) | 0, body);
    case 'prefix-negative':
      return withPrefix(rng.pick([-1, -2, -0x80000000, -rng.range(1, 0x7fffffff)]), body);
    case 'prefix-zero':
      return withPrefix(0, body);
    case 'prefix-short':
      return withPrefix(Math.max(0, body.length - rng.range(1, 8)), body);
    case 'prefix-long':
      return withPrefix(body.length + rng.range(1, 8), body);
    case 'unknown-api': {
      const out = Buffer.from(body);
      let key = rng.weighted([[3, rng.range(-2, 80)], [1, rng.pick([0x7fff, -0x8000, 1000])], [1, (rng.u32() & 0xffff) - 0x8000]]);
      while (ctx.servedApiKeys.has(key)) key = rng.range(61, 0x7fff);
      if (out.length >= 2) out.writeInt16BE(key, 0);
      return framed(out);
    }
    case 'bad-version': {
      const out = Buffer.from(body);
      if (out.length >= 4) out.writeInt16BE(rng.weighted([[3, seed.version + rng.range(1, 20)], [2, -1], [1, rng.pick([0x7fff, -0x8000])], [1, (rng.u32() & 0xffff) - 0x8000]]) | 0, 2);
      return framed(out);
    }
    case 'bad-varint': {
      const marks = seed.marks.varints;
      if (!seed.flexible || marks.length === 0) return framed(flip(rng, body));
      const at = rng.pick(marks);
      const length = varintLength(body, at);
      return framed(replace(body, at, length, badVarint(rng, readVarint(body, at), body.length - at - length)));
    }
    case 'array-length': {
      const marks = seed.marks.int32Lengths;
      if (marks.length === 0) return mutate(seed, seed.flexible ? 'bad-varint' : 'flip', ctx);
      const at = rng.pick(marks);
      const out = Buffer.from(body);
      if (at + 4 <= out.length) out.writeInt32BE(int32Lie(rng, out.readInt32BE(at), out.length - at - 4) | 0, at);
      return framed(out);
    }
    case 'string-length': {
      const marks = seed.marks.int16Lengths;
      if (marks.length === 0) return mutate(seed, seed.flexible ? 'bad-varint' : 'flip', ctx);
      const at = rng.pick(marks);
      const out = Buffer.from(body);
      if (at + 2 <= out.length) out.writeInt16BE(int16Lie(rng, out.readInt16BE(at), out.length - at - 2), at);
      return framed(out);
    }
    case 'tagged-garbage': {
      const marks = seed.marks.taggedSections;
      if (!seed.flexible || marks.length === 0) return framed(flip(rng, body));
      const at = rng.pick(marks);
      // Empty sections (one 0 byte) are replaced; a section with fields gets the garbage in front.
      return framed(replace(body, at, body[at] === 0 ? 1 : 0, taggedSection(rng)));
    }
    case 'random':
      return framed(rng.bytes(rng.size(200)));
    case 'random-body':
      return framed(Buffer.concat([body.subarray(0, seed.headerLength), rng.bytes(rng.size(200))]));
    case 'splice': {
      const other = ctx.other().body;
      return framed(Buffer.concat([body.subarray(0, rng.int(body.length + 1)), other.subarray(rng.int(other.length + 1))]));
    }
  }
}

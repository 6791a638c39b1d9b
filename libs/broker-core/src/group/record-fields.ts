import { KafkaError } from '../errors.js';
import type { Reader } from '../protocol/primitives/reader.js';
import type { Writer } from '../protocol/primitives/writer.js';

/**
 * Field readers and writers shared by the `__consumer_offsets` value codecs, whose flexible
 * versions (KIP-482: compact lengths, a tagged-field section ending every struct) carry the
 * same fields as the others. `flexible` picks the form.
 */
export const readString = (r: Reader, flexible: boolean): string => (flexible ? r.compactString() : r.string());

export const readNullableString = (r: Reader, flexible: boolean): string | null => (flexible ? r.compactNullableString() : r.nullableString());

export const readBytes = (r: Reader, flexible: boolean): Buffer => (flexible ? r.compactBytes() : r.bytes());

export function readArray<T>(r: Reader, flexible: boolean, each: (r: Reader) => T): T[] {
  return flexible ? r.compactArray(each) : r.array(each);
}

export function writeString(w: Writer, v: string, flexible: boolean): void {
  if (flexible) w.compactString(v);
  else w.string(v);
}

export function writeNullableString(w: Writer, v: string | null, flexible: boolean): void {
  if (flexible) w.compactNullableString(v);
  else w.nullableString(v);
}

export function writeBytes(w: Writer, v: Buffer, flexible: boolean): void {
  if (flexible) w.compactBytes(v);
  else w.bytes(v);
}

export function writeArray<T>(w: Writer, items: readonly T[], flexible: boolean, each: (w: Writer, item: T) => void): void {
  if (flexible) w.compactArray(items, each);
  else w.array(items, each);
}

/** Timestamps are INT64 milliseconds on disk and numbers in Weir (as `Time` gives them). */
export function readTimestampMs(r: Reader): number {
  const ms = r.int64();
  if (ms > BigInt(Number.MAX_SAFE_INTEGER) || ms < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new KafkaError('CORRUPT_MESSAGE', `timestamp ${ms} ms is out of range`);
  }
  return Number(ms);
}

export function writeTimestampMs(w: Writer, ms: number): void {
  w.int64(BigInt(ms));
}

/** The INT16 that starts every key and value; a value version outside `max` is not ours to read. */
export function readValueVersion(r: Reader, what: string, max: number): number {
  const version = r.int16();
  if (version < 0 || version > max) throw new KafkaError('UNSUPPORTED_VERSION', `${what} value v${version} (reads v0-v${max})`);
  return version;
}

export function checkEncodeVersion(what: string, version: number, max: number): void {
  if (!Number.isInteger(version) || version < 0 || version > max) throw new RangeError(`${what} v${version} (writes v0-v${max})`);
}

import snappy from 'snappy';
import { KafkaError } from '../../errors.js';
import { outputTooLarge, resolveBound } from './bound.js';

/**
 * Snappy as it travels inside Kafka record batches.
 *
 * Two layouts exist in the wild:
 * - raw: one snappy block (a varint of the uncompressed length, then the stream), as
 *   librdkafka and kafkajs codecs write.
 * - xerial framing, as Kafka's Java client writes through snappy-java's SnappyOutputStream:
 *     magic  0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00   (8 bytes)
 *     version i32 BE (1) · minimum compatible version i32 BE (1)
 *     then chunks until the end: length i32 BE · one raw snappy block of that length
 *   Each block holds at most 32 KiB of input.
 *
 * The decoder tells them apart the way snappy-java and librdkafka do: the xerial magic
 * at the start means framed, anything else is one raw block.
 *
 * The encoder writes xerial framing. Both readers that matter accept it: Kafka's Java
 * consumer (snappy-java reads framed streams, and falls back to raw), and librdkafka
 * (it sniffs the same magic). It is also what Apache Kafka's own producer and broker
 * write, so any consumer that works against Kafka with Java producers can read it;
 * raw blocks are read by those two as well, but only through their fallback paths.
 *
 * The decoder stays within a bound on its output (see bound.ts): a raw block starts with
 * the varint of its uncompressed length, which the native decoder allocates at once, so
 * that length is checked against what is left of the bound before decoding; in xerial
 * streams each chunk's, against the bound less the chunks before it.
 */

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_MIN_COMPATIBLE_VERSION = 1;
const XERIAL_BLOCK_SIZE = 32 * 1024;

export function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, 0, 8) === 0;
}

export function compressSnappyXerial(data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  let total = XERIAL_HEADER_SIZE;
  for (let start = 0; start < data.length; start += XERIAL_BLOCK_SIZE) {
    const block = snappy.compressSync(data.subarray(start, Math.min(start + XERIAL_BLOCK_SIZE, data.length)));
    blocks.push(block);
    total += 4 + block.length;
  }
  const out = Buffer.allocUnsafe(total);
  XERIAL_MAGIC.copy(out, 0);
  out.writeInt32BE(XERIAL_VERSION, 8);
  out.writeInt32BE(XERIAL_MIN_COMPATIBLE_VERSION, 12);
  let pos = XERIAL_HEADER_SIZE;
  for (const block of blocks) {
    out.writeInt32BE(block.length, pos);
    pos += 4 + block.copy(out, pos + 4);
  }
  return out;
}

export function compressSnappyRaw(data: Buffer): Buffer {
  return snappy.compressSync(data);
}

/** The uncompressed length a raw snappy block declares: its varint preamble (at most 2^32 - 1). */
export function snappyDeclaredLength(block: Buffer): number {
  let value = 0;
  for (let i = 0; i < 5 && i < block.length; i++) {
    const byte = block[i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (value > 0xffffffff) break;
      return value;
    }
  }
  throw new KafkaError('CORRUPT_MESSAGE', 'snappy block has no valid uncompressed length preamble');
}

/** Decodes one raw block, refusing it before any allocation if it declares more than `room`. */
function uncompressBlock(block: Buffer, room: number, limit: number, where: string): Buffer {
  const declared = snappyDeclaredLength(block);
  if (declared > room) throw outputTooLarge('snappy', limit, `${where} declares ${declared} bytes${room < limit ? `, ${room} left` : ''}`);
  const out = snappy.uncompressSync(block, { asBuffer: true }) as Buffer;
  // The decoder rejects a block whose content disagrees with its preamble; belt and braces.
  if (out.length > room) throw outputTooLarge('snappy', limit, `${where} decoded to ${out.length} bytes`);
  return out;
}

/**
 * Accepts a raw snappy block or a xerial-framed stream. Output past `maxOutputBytes`
 * (default decompressionBound of the input) is CORRUPT_MESSAGE.
 */
export function decompressSnappy(data: Buffer, maxOutputBytes?: number): Buffer {
  const limit = resolveBound(data, maxOutputBytes);
  if (!isXerialFramed(data)) return uncompressBlock(data, limit, limit, 'the block');
  const version = data.readInt32BE(8);
  if (version < XERIAL_MIN_COMPATIBLE_VERSION) {
    throw new KafkaError('CORRUPT_MESSAGE', `xerial snappy stream has unsupported version ${version}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (data.length - pos < 4) throw new KafkaError('CORRUPT_MESSAGE', 'xerial snappy chunk length is truncated');
    const length = data.readInt32BE(pos);
    pos += 4;
    if (length < 0 || length > data.length - pos) {
      throw new KafkaError('CORRUPT_MESSAGE', `xerial snappy chunk of ${length} bytes does not fit the ${data.length - pos} left`);
    }
    const chunk = uncompressBlock(data.subarray(pos, pos + length), limit - total, limit, `xerial chunk ${chunks.length + 1}`);
    chunks.push(chunk);
    total += chunk.length;
    pos += length;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

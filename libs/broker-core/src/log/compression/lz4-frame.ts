import { decompressFrameSync, uncompressSync } from 'lz4-napi';
import { KafkaError } from '../../errors.js';
import { outputTooLarge } from './bound.js';

/**
 * LZ4 frames (lz4_Frame_format.md of the LZ4 project) decoded within a bound on the output.
 *
 * lz4-napi's frame decoder takes no output limit: it grows its output to whatever the
 * frame holds. So the frame's header and block headers are read first (sizes only,
 * nothing decoded):
 * - a declared content size above the bound fails at once;
 * - a block never decodes to more than the frame's block maximum (64 KiB to 4 MiB, from
 *   the BD byte; the decoder refuses a block that would), so blocks × maximum bounds the
 *   output. Encoders fill their blocks, so for real frames that estimate is the content
 *   size rounded up to a block, and when it is within the bound the frame goes to the
 *   library whole, header, block and content checksums checked.
 * - A frame whose estimate passes the bound (a forged one, or a tight bound) is decoded
 *   block by block with lz4-napi's block decoder, given the block maximum as the size,
 *   and refused as soon as the running total passes the bound: at most the bound plus
 *   one block is held. Linked blocks get the previous 64 KiB of output as dictionary.
 *   This path does not check the xxHash32 checksums (lz4-napi exposes no xxHash); the
 *   batch's CRC-32C already covers these bytes.
 *
 * Only the first frame is read and bytes after it are ignored, as lz4-napi's frame decoder
 * does.
 */

const FRAME_MAGIC = 0x184d2204;
const MIN_HEADER_SIZE = 7;
const LINKED_WINDOW = 64 * 1024;

interface Block {
  start: number;
  length: number;
  compressed: boolean;
}

interface Frame {
  blockMax: number;
  linked: boolean;
  contentSize: number | null;
  blocks: Block[];
  /** Where the frame ends (after the end mark and content checksum). */
  end: number;
  /** Most the blocks can decode to. */
  maxOutput: number;
}

function corrupt(message: string): KafkaError {
  return new KafkaError('CORRUPT_MESSAGE', message);
}

function parseFrame(data: Buffer): Frame {
  if (data.length < MIN_HEADER_SIZE || data.readUInt32LE(0) !== FRAME_MAGIC) throw corrupt('lz4 records do not start with an LZ4 frame');
  const flg = data[4]!;
  const bd = data[5]!;
  if (flg >> 6 !== 1) throw corrupt(`LZ4 frame has unsupported version ${flg >> 6}`);
  if ((flg & 0x02) !== 0 || (bd & 0x8f) !== 0) throw corrupt('LZ4 frame descriptor has reserved bits set');
  if ((flg & 0x01) !== 0) throw corrupt('LZ4 frame needs a preset dictionary');
  const sizeId = (bd >> 4) & 0x07;
  if (sizeId < 4) throw corrupt(`LZ4 frame has invalid block maximum id ${sizeId}`);
  const blockMax = 1 << (2 * sizeId + 8);
  const blockChecksums = (flg & 0x10) !== 0;
  let pos = 6;
  let contentSize: number | null = null;
  if ((flg & 0x08) !== 0) {
    if (data.length < pos + 9) throw corrupt('LZ4 frame header is truncated');
    contentSize = Number(data.readBigUInt64LE(pos));
    pos += 8;
  }
  pos += 1; // header checksum
  const blocks: Block[] = [];
  let maxOutput = 0;
  for (;;) {
    if (data.length - pos < 4) throw corrupt('LZ4 frame is truncated');
    const word = data.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break; // end mark
    const length = word & 0x7fffffff;
    const compressed = word >>> 31 === 0;
    if (length > blockMax) throw corrupt(`LZ4 block of ${length} bytes exceeds the frame's ${blockMax}-byte block maximum`);
    const next = pos + length + (blockChecksums ? 4 : 0);
    if (next > data.length) throw corrupt('LZ4 frame is truncated');
    blocks.push({ start: pos, length, compressed });
    maxOutput += compressed ? blockMax : length;
    pos = next;
  }
  if ((flg & 0x04) !== 0) pos += 4; // content checksum
  if (pos > data.length) throw corrupt('LZ4 frame is truncated');
  return { blockMax, linked: (flg & 0x20) === 0, contentSize, blocks, end: pos, maxOutput };
}

/** The last `size` bytes of output so far (the window linked blocks may refer to). */
function window(chunks: readonly Buffer[], size: number): Buffer | undefined {
  const last = chunks.at(-1);
  if (last === undefined) return undefined;
  if (last.length >= size || chunks.length === 1) return last.length > 0 ? last.subarray(Math.max(0, last.length - size)) : undefined;
  const parts: Buffer[] = [];
  let length = 0;
  for (let i = chunks.length - 1; i >= 0 && length < size; i--) {
    parts.unshift(chunks[i]!);
    length += chunks[i]!.length;
  }
  const joined = Buffer.concat(parts, length);
  return joined.length > 0 ? joined.subarray(Math.max(0, length - size)) : undefined;
}

function decodeBlocks(data: Buffer, frame: Frame, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (const [i, block] of frame.blocks.entries()) {
    const bytes = data.subarray(block.start, block.start + block.length);
    let out = bytes;
    if (block.compressed) {
      // lz4-napi's block format: the output size (u32 LE), then the block. The decoder
      // sizes its output from that and fails if the block decodes to more.
      const input = Buffer.allocUnsafe(4 + bytes.length);
      input.writeUInt32LE(frame.blockMax, 0);
      bytes.copy(input, 4);
      const dict = frame.linked ? window(chunks, LINKED_WINDOW) : undefined;
      out = dict === undefined ? uncompressSync(input) : uncompressSync(input, dict);
    }
    total += out.length;
    if (total > limit) throw outputTooLarge('lz4', limit, `its blocks pass it at block ${i + 1} of ${frame.blocks.length}`);
    chunks.push(out);
  }
  if (frame.contentSize !== null && total !== frame.contentSize) {
    throw corrupt(`LZ4 frame declares ${frame.contentSize} bytes but holds ${total}`);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** Decodes the first LZ4 frame of `data`, failing with CORRUPT_MESSAGE past `limit` bytes. */
export function decompressLz4Frame(data: Buffer, limit: number): Buffer {
  const frame = parseFrame(data);
  if (frame.contentSize !== null && frame.contentSize > limit) {
    throw outputTooLarge('lz4', limit, `the frame declares ${frame.contentSize} bytes`);
  }
  if (frame.maxOutput > limit) return decodeBlocks(data, frame, limit);
  const out = decompressFrameSync(data.subarray(0, frame.end));
  if (out.length > limit) throw outputTooLarge('lz4', limit, `the frame decoded to ${out.length} bytes`);
  return out;
}

import zstd, { type DCtx } from 'zstd-napi/binding.js';
import { KafkaError } from '../../errors.js';
import { outputTooLarge } from './bound.js';

/**
 * zstd frames decoded within a bound on the output, through zstd-napi's binding of the
 * native library (its high-level decompress() takes no limit: it allocates whatever the
 * frames declare, or grows without end when they declare nothing).
 *
 * - Frames are walked first (ZSTD_getFrameContentSize / ZSTD_findFrameCompressedSize,
 *   header and block headers only): declared content sizes adding up past the bound fail
 *   before anything is allocated.
 * - When every frame declares its size (one-shot encoders), one buffer of that total is
 *   decoded into; zstd fails a frame that would write past it or falls short.
 * - Otherwise (streaming encoders, such as Kafka's Java client's, may write no content
 *   size) ZSTD_decompressStream fills output steps of at most what is left of
 *   the bound plus one byte, so decoding stops the moment the output would pass it. Its
 *   window is capped too (windowLogMax, see windowLogMax below): a frame header asking
 *   for a larger one fails before the decoder allocates it.
 * - A frame cut short is CORRUPT_MESSAGE, not the prefix decoded so far.
 */

/**
 * The decoder's window, 2^n bytes: never needed larger than the output (a frame cannot
 * refer back past its start), so about the bound, but at least 8 MiB, the window the
 * zstd format (RFC 8878) recommends every decoder support (levels up to 19 stay within it), and at
 * most zstd's own default limit of 128 MiB. Frames from streaming encoders at levels
 * 20-22 ask for 32-128 MiB and are refused when that is above the bound.
 */
export function windowLogMax(limit: number): number {
  return Math.min(27, Math.max(23, Math.ceil(Math.log2(Math.max(1, limit)))));
}

let sharedContext: DCtx | undefined;

function corrupt(message: string): KafkaError {
  return new KafkaError('CORRUPT_MESSAGE', message);
}

function decodeStreaming(dctx: DCtx, data: Buffer, limit: number): Buffer {
  const step = zstd.dStreamOutSize();
  const chunks: Buffer[] = [];
  let total = 0;
  let input = data;
  // Whether the last call that did anything ended a frame with all of it flushed (a
  // call with nothing to do reports what the next frame's header needs instead).
  let frameDone = false;
  for (;;) {
    const room = limit - total;
    const size = Math.min(Math.max(step, input.length), room + 1);
    const out = Buffer.allocUnsafe(size);
    const [hint, produced, consumed] = dctx.decompressStream(out, input);
    if (produced === 0 && consumed === 0) {
      if (input.length > 0) throw corrupt('zstd decoder stopped making progress');
      break;
    }
    frameDone = hint === 0;
    input = input.subarray(consumed);
    if (produced > room) throw outputTooLarge('zstd', limit, `its frames decode to more than ${limit} bytes`);
    if (produced > 0) chunks.push(out.subarray(0, produced));
    total += produced;
    if (produced < size && input.length === 0) break;
    // Otherwise the output filled, and the decoder may hold more, or input is left.
  }
  if (!frameDone) throw corrupt('zstd frame is truncated');
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** Decodes zstd frames laid end to end, failing with CORRUPT_MESSAGE past `limit` bytes. */
export function decompressZstd(data: Buffer, limit: number): Buffer {
  let declared = 0;
  let allDeclared = true;
  for (let rest = data; rest.length > 0; rest = rest.subarray(zstd.findFrameCompressedSize(rest))) {
    const size = zstd.getFrameContentSize(rest);
    if (size === null) {
      allDeclared = false;
    } else {
      declared += size;
      if (declared > limit) throw outputTooLarge('zstd', limit, `its frames declare ${declared} bytes`);
    }
  }
  const dctx = (sharedContext ??= new zstd.DCtx());
  // A previous call may have failed mid-frame.
  dctx.reset(zstd.ResetDirective.sessionOnly);
  if (allDeclared) {
    const out = Buffer.allocUnsafe(declared);
    const written = dctx.decompress(out, data);
    if (written !== declared) throw corrupt(`zstd frames declare ${declared} bytes but hold ${written}`);
    return out;
  }
  dctx.setParameter(zstd.DParameter.windowLogMax, windowLogMax(limit));
  return decodeStreaming(dctx, data, limit);
}

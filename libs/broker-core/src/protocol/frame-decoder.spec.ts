import fc from 'fast-check';
import { KafkaError } from '../errors.js';
import { expectKafkaError } from '../log/batch/testing/expect-kafka-error.js';
import { DEFAULT_SOCKET_REQUEST_MAX_BYTES, FrameDecoder } from './frame-decoder.js';

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

/** Cuts `bytes` at the given (sorted, deduplicated) positions. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(start, p));
    start = p;
  }
  return parts;
}

describe('FrameDecoder', () => {
  it('defaults to Kafka’s socket.request.max.bytes', () => {
    expect(DEFAULT_SOCKET_REQUEST_MAX_BYTES).toBe(104857600);
  });

  it('yields every frame, whatever the chunking, and nothing of a partial one', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), (payloads, cuts) => {
        const stream = Buffer.concat(payloads.map((p) => frame(Buffer.from(p))));
        const decoder = new FrameDecoder();
        const out = split(stream, cuts).flatMap((chunk) => decoder.push(chunk));
        expect(out.map((b) => [...b])).toEqual(payloads.map((p) => [...p]));
        expect(decoder.bufferedBytes).toBe(0);
      }),
    );
  });

  it('holds an incomplete frame until its last byte arrives', () => {
    const decoder = new FrameDecoder();
    const bytes = frame(Buffer.from('hello'));
    expect(decoder.push(bytes.subarray(0, 2))).toEqual([]);
    expect(decoder.push(bytes.subarray(2, 8))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(4); // the prefix is consumed; 4 of 5 payload bytes are held
    expect(decoder.push(bytes.subarray(8))).toEqual([Buffer.from('hello')]);
  });

  it('rejects a negative size and a size above the limit, from the prefix alone', () => {
    expectKafkaError(() => new FrameDecoder().push(Buffer.from('ffffffff', 'hex')), 'INVALID_REQUEST', /frame size -1/);
    // Only the 4-byte prefix arrives: the claim alone is refused, nothing is reserved for it.
    expectKafkaError(() => new FrameDecoder(100).push(Buffer.from('00000065', 'hex')), 'INVALID_REQUEST', /frame size 101/);
    expectKafkaError(() => new FrameDecoder().push(Buffer.from('7fffffff', 'hex')), 'INVALID_REQUEST');
    expect(new FrameDecoder(100).push(frame(Buffer.alloc(100)))).toHaveLength(1);
  });

  it('stays failed after a bad size, since the stream has lost its framing', () => {
    const decoder = new FrameDecoder(10);
    expect(() => decoder.push(Buffer.from('0000ffff', 'hex'))).toThrow(KafkaError);
    expect(decoder.bufferedBytes).toBe(0);
    expectKafkaError(() => decoder.push(frame(Buffer.from('ok'))), 'INVALID_REQUEST');
  });

  it('accepts an empty frame (the request decoder rejects it later)', () => {
    expect(new FrameDecoder().push(Buffer.alloc(4))).toEqual([Buffer.alloc(0)]);
  });

  it('only ever throws KafkaError on random streams', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 32 }), { maxLength: 8 }), (chunks) => {
        const decoder = new FrameDecoder(64);
        try {
          for (const c of chunks) decoder.push(Buffer.from(c));
        } catch (err) {
          expect(err).toBeInstanceOf(KafkaError);
        }
        expect(decoder.bufferedBytes).toBeLessThanOrEqual(68);
      }),
      { numRuns: 2000 },
    );
  });
});

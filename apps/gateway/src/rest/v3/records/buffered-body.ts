import type { Readable } from 'node:stream';

/**
 * Reads a request body whose Content-Length the caller has already bounded. Plain
 * listeners instead of `for await`: a one-record produce is the most frequent request,
 * and an async iterator costs it a promise per chunk plus end-of-stream bookkeeping.
 * Rejects when the client goes away before the end.
 */
export function readBufferedBody(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let ended = false;
    body.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
    });
    body.once('end', () => {
      ended = true;
      resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
    });
    body.once('error', reject);
    body.once('close', () => {
      if (!ended) reject(new Error('client closed the request before its body ended'));
    });
  });
}

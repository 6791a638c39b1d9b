import { CompressStream } from 'zstd-napi';

/**
 * Compresses through zstd's streaming API, which writes frames without a content size,
 * as streaming producers do: the case a one-shot decoder cannot size up front.
 */
export function zstdStreamCompress(data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = new CompressStream();
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.end(data);
  });
}

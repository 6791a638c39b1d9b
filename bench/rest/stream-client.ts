import { request } from 'node:http';
import { streamChunk } from './payloads.js';

export interface StreamOptions {
  readonly url: string;
  /** Concurrent streaming requests, one per connection. */
  readonly streams: number;
  /** How long each stream keeps writing before it ends its body. */
  readonly durationSec: number;
  /** Records per write() of the chunked body. */
  readonly recordsPerWrite: number;
}

export interface StreamResult {
  readonly records: number;
  readonly recordsOk: number;
  readonly seconds: number;
  readonly recordsPerSec: number;
}

/**
 * Streaming produce, end to end: each stream writes concatenated records into one
 * chunked request (respecting backpressure) for the duration, ends it, and reads every
 * delivery report. The clock stops when the last report of the last stream has arrived,
 * so records still queued in the gateway at the cut-off count their full cost.
 */
export async function runStreams(options: StreamOptions): Promise<StreamResult> {
  const started = performance.now();
  const deadline = started + options.durationSec * 1000;
  const counts = await Promise.all(Array.from({ length: options.streams }, (_, s) => oneStream(options, s, deadline)));
  const seconds = (performance.now() - started) / 1000;
  const records = counts.reduce((sum, c) => sum + c.records, 0);
  const recordsOk = counts.reduce((sum, c) => sum + c.ok, 0);
  return { records, recordsOk, seconds, recordsPerSec: recordsOk / seconds };
}

function oneStream(options: StreamOptions, stream: number, deadline: number): Promise<{ records: number; ok: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let reports = 0;
    let ok = 0;
    let tail = '';
    const req = request(options.url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`streaming produce answered ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        const lines = (tail + text).split('\n');
        tail = lines.pop()!;
        for (const line of lines) {
          reports++;
          // Reports are JSON.stringify'd with error_code first.
          if (line.startsWith('{"error_code":200,')) ok++;
        }
      });
      res.once('end', () => {
        if (reports !== sent) reject(new Error(`stream ${stream}: ${sent} records sent, ${reports} reports`));
        else resolve({ records: sent, ok });
      });
      res.once('error', reject);
    });
    req.once('error', reject);
    // Record numbers differ per stream so keys (and so partitions) spread like real traffic.
    const write = (): void => {
      while (performance.now() < deadline) {
        const chunk = streamChunk(stream * 1e9 + sent, options.recordsPerWrite);
        sent += options.recordsPerWrite;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

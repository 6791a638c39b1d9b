import { spawn } from 'node:child_process';
import { connect } from 'node:net';

/** The sink: a Node process that listens on an ephemeral port, prints it, counts bytes, prints the count when the peer ends. */
const SINK = `
const server = require('node:net').createServer((socket) => {
  let bytes = 0;
  socket.on('data', (chunk) => { bytes += chunk.length; });
  socket.on('end', () => { socket.end(String(bytes)); server.close(); });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

const CHUNK_BYTES = 64 * 1024;

/**
 * Loopback TCP throughput between two Node processes: this one writes `bytes` in 64 KiB
 * writes (honouring back-pressure) to a sink child that counts them; timed from the first
 * write until the sink has counted every byte. Returns MB/s (MiB).
 */
export async function loopbackMBps(bytes: number): Promise<number> {
  const sink = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => sink.on('close', () => resolve()));
  const port = await new Promise<number>((resolve) => sink.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const chunk = Buffer.alloc(CHUNK_BYTES, 0x61);
  const start = performance.now();
  let counted = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => (counted += text));
  const ended = new Promise<void>((resolve) => socket.on('end', () => resolve()));
  let sent = 0;
  while (sent < bytes) {
    const n = Math.min(CHUNK_BYTES, bytes - sent);
    sent += n;
    if (!socket.write(n === CHUNK_BYTES ? chunk : chunk.subarray(0, n))) await new Promise((resolve) => socket.once('drain', resolve));
  }
  socket.end();
  await ended;
  const ms = performance.now() - start;
  await exited;
  if (Number(counted) !== bytes) throw new Error(`loopback sink counted ${counted} bytes of ${bytes}`);
  return bytes / (1024 * 1024) / (ms / 1000);
}

// End-to-end latency through Redis Streams, its own process (JavaScript, two sockets):
//   node --import tsx bench/compare/redis-latency.ts <port> <msgs/s> <seconds> <warm-up s> <value bytes>
// A consumer blocks in XREADGROUP ... COUNT 1000 BLOCK 0 NOACK STREAMS s > and sends the
// next as soon as a reply is in; a paced producer, every millisecond, pipelines an XADD per
// message due, each value starting with its sequence number and send time. Prints one
// JSON object: the Latency of results.ts.
import { connect, type Socket } from 'node:net';
import { percentile } from '../support/stats.js';
import { command, parseReply, type RespValue } from './resp.js';

const [portArg, rateArg, secondsArg, warmupArg, valueBytesArg] = process.argv.slice(2).map(Number) as [number, number, number, number, number];
const key = 'compare-latency';
const total = rateArg * secondsArg;
const warmup = rateArg * warmupArg;
const now = () => performance.timeOrigin + performance.now();

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(portArg, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
  });
}

/** Calls `onReply` for every complete reply on the socket. */
function replies(socket: Socket, onReply: (value: RespValue) => void): void {
  let buf = '';
  socket.on('data', (chunk: string) => {
    buf += chunk;
    let pos = 0;
    for (;;) {
      const reply = parseReply(buf, pos);
      if (reply === undefined) break;
      pos = reply.next;
      onReply(reply.value);
    }
    buf = buf.slice(pos);
  });
}

const consumer = await open();
const producer = await open();
const samples: number[] = [];
let seen = 0;
let firstSent = Infinity;
let lastSent = -Infinity;
let finished: () => void = () => undefined;
const allSeen = new Promise<void>((resolve) => (finished = resolve));
const read = command('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1000', 'BLOCK', '0', 'NOACK', 'STREAMS', key, '>');
let setUp = 2;
replies(consumer, (value) => {
  if (value instanceof Error) throw value;
  if (setUp > 0) {
    // The replies to DEL and XGROUP CREATE.
    if (--setUp === 0) consumer.write(read);
    return;
  }
  const at = now();
  for (const [, entries] of value as [string, [string, string[]][]][]) {
    for (const [, fields] of entries) {
      const [seq, sentAt] = fields[1]!.split(' ', 2).map(Number) as [number, number];
      seen++;
      if (seq < warmup) continue;
      samples.push(at - sentAt);
      firstSent = Math.min(firstSent, sentAt);
      lastSent = Math.max(lastSent, sentAt);
    }
  }
  if (seen >= total) finished();
  else consumer.write(read);
});
replies(producer, (value) => {
  if (value instanceof Error) throw value;
});
consumer.write(command('DEL', key) + command('XGROUP', 'CREATE', key, 'g', '$', 'MKSTREAM'));

const start = performance.now();
let sent = 0;
function tick(): void {
  const due = Math.min(total, Math.floor(((performance.now() - start) * rateArg) / 1000));
  if (due > sent) {
    const at = now().toFixed(3);
    let chunk = '';
    for (; sent < due; sent++) chunk += command('XADD', key, '*', 'v', `${sent} ${at} `.padEnd(valueBytesArg, 'x'));
    producer.write(chunk);
  }
  if (sent < total) setTimeout(tick, 1);
}
// The first XADD must come after XGROUP CREATE ... $: wait for the consumer's set-up.
await new Promise<void>((resolve) => {
  const poll = () => (setUp === 0 ? resolve() : setTimeout(poll, 1));
  poll();
});
tick();
const deadline = setTimeout(() => {
  console.error(`redis latency: consumer saw ${seen} of ${total}`);
  process.exit(1);
}, (secondsArg + 15) * 1000);
await allSeen;
clearTimeout(deadline);
samples.sort((a, b) => a - b);
producer.end(command('DEL', key));
consumer.destroy();
process.stdout.write(
  `${JSON.stringify({
    rate: rateArg,
    achievedRate: ((samples.length - 1) * 1000) / (lastSent - firstSent),
    valueBytes: valueBytesArg,
    seconds: secondsArg,
    warmupSeconds: warmupArg,
    measured: samples.length,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    p999Ms: percentile(samples, 99.9),
    maxMs: samples[samples.length - 1],
    method: 'paced XADD (JavaScript, pipelined per millisecond) -> XREADGROUP COUNT 1000 BLOCK 0 NOACK (JavaScript)',
  })}\n`,
);

// Paced producer for the wire bench's latency figure, run as its own process so that its
// timers and writes share no event loop with the broker:
//   node --import tsx bench/wire/pacer.ts <bootstrap> <topic> <msgs/s> <seconds> <value bytes> [kcat -X settings...]
// It starts `kcat -P` and writes one line per message to kcat's stdin at the given rate
// (every millisecond, the messages due by then), each value starting with its sequence
// number and its send time (ms since the epoch, microsecond resolution, from
// performance.timeOrigin + performance.now(), comparable across processes on one
// machine). It exits with kcat's exit code once kcat has delivered everything.
import { spawnKcat } from '../../test/support/kcat.js';

const [bootstrap, topic, rateArg, secondsArg, valueBytesArg, ...settings] = process.argv.slice(2);
if (bootstrap === undefined || topic === undefined || rateArg === undefined || secondsArg === undefined || valueBytesArg === undefined) {
  console.error('usage: pacer.ts <bootstrap> <topic> <msgs/s> <seconds> <value bytes> [-X settings...]');
  process.exit(2);
}
const rate = Number(rateArg);
const total = Math.round(rate * Number(secondsArg));
const valueBytes = Number(valueBytesArg);

const kcat = spawnKcat(['-P', '-b', bootstrap, '-t', topic, '-p', '0', '-q', ...settings]);
kcat.stdout.resume();
kcat.stderr.pipe(process.stderr);
kcat.on('close', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));

const now = () => performance.timeOrigin + performance.now();
const start = performance.now();
let sent = 0;

function line(seq: number, at: number): string {
  const head = `${seq} ${at.toFixed(3)} `;
  return `${head.padEnd(valueBytes, 'x')}\n`;
}

function tick(): void {
  const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
  if (due > sent) {
    const at = now();
    let chunk = '';
    for (; sent < due; sent++) chunk += line(sent, at);
    kcat.stdin.write(chunk);
  }
  if (sent < total) setTimeout(tick, 1);
  else kcat.stdin.end();
}

tick();

// A child process for the crash test: opens the log in argv[2], starts leader epoch
// argv[3] (the seed) at its log end offset as a new leader does, prints
// `open <logEndOffset>`, then appends in that epoch forever with an fsync per batch
// (flush.messages=1), printing `flushed <lastOffset>` only after the append's durable
// promise resolved. The parent kills it with SIGKILL at a moment of its choosing.
import { logConfig } from '../config/log-config.js';
import { PartitionLog } from '../partition/partition-log.js';
import { makeBatch } from './log-fixtures.js';
import { STDERR_LOGGER, seededRandom } from './child-support.js';

const [dir, seedText] = process.argv.slice(2);
const seed = Number(seedText ?? 1) >>> 0;
const random = seededRandom(seed);

const log = PartitionLog.open(dir!, {
  config: logConfig({ flushMessages: 1, segmentBytes: 64 * 1024 }),
  logger: STDERR_LOGGER,
});
const leaderEpoch = seed;
log.assignLeaderEpoch(leaderEpoch);
process.stdout.write(`open ${log.logEndOffset}\n`);

async function run(): Promise<void> {
  for (let i = 0; ; i++) {
    const records = 1 + Math.floor(random() * 20);
    const info = log.append(makeBatch(records, Date.now(), 10 + Math.floor(random() * 2000), i), { leaderEpoch });
    await info.durable;
    process.stdout.write(`flushed ${info.lastOffset}\n`);
  }
}

run().catch((err: unknown) => {
  process.stderr.write(`crash writer failed: ${String(err)}\n`);
  process.exit(1);
});

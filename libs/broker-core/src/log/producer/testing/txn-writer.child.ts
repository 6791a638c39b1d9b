// A child process for the producer crash test: opens the log in argv[2], continues every
// producer from the state recovered at open (an append with a wrong sequence would
// fail), prints `open <logEndOffset>`, then appends forever, with an fsync per batch:
// idempotent batches from producers 1-2, transactions of producers 3-5 (data batches,
// then a COMMIT or ABORT marker), plain batches; segments roll often. It prints
// `flushed <lastOffset>` after each append is durable. The parent SIGKILLs it.
import { logConfig } from '../../config/log-config.js';
import { PartitionLog } from '../../partition/partition-log.js';
import { makeBatch } from '../../testing/log-fixtures.js';
import { markerBatch, producerBatch } from './producer-batches.js';
import { STDERR_LOGGER, seededRandom } from '../../testing/child-support.js';

const [dir, seedText] = process.argv.slice(2);
const random = seededRandom(Number(seedText ?? 1));

const log = PartitionLog.open(dir!, {
  config: logConfig({ flushMessages: 1, segmentBytes: 6 * 1024 }),
  logger: STDERR_LOGGER,
});
interface Producer { nextSeq: number; inTxn: boolean }
const producers = new Map<number, Producer>();
for (const p of log.activeProducers()) producers.set(Number(p.producerId), { nextSeq: p.lastSequence + 1, inTxn: p.currentTxnStartOffset >= 0n });
process.stdout.write(`open ${log.logEndOffset}\n`);

function nextAppend(): { records: Buffer; coordinator: boolean } {
  const pick = random();
  if (pick < 0.1) return { records: makeBatch(1 + Math.floor(random() * 5), Date.now(), 50), coordinator: false };
  const id = 1 + Math.floor(random() * 5);
  const producer = producers.get(id) ?? { nextSeq: 0, inTxn: false };
  producers.set(id, producer);
  const count = 1 + Math.floor(random() * 8);
  if (id <= 2) {
    const records = producerBatch(id, 0, producer.nextSeq, { count, timestamp: Date.now() });
    producer.nextSeq += count;
    return { records, coordinator: false };
  }
  if (producer.inTxn && random() < 0.35) {
    producer.inTxn = false;
    return { records: markerBatch(random() < 0.5 ? 'ABORT' : 'COMMIT', id, 0, 0, Date.now()), coordinator: true };
  }
  producer.inTxn = true;
  const records = producerBatch(id, 0, producer.nextSeq, { count, transactional: true, timestamp: Date.now() });
  producer.nextSeq += count;
  return { records, coordinator: false };
}

async function run(): Promise<void> {
  for (;;) {
    const { records, coordinator } = nextAppend();
    const info = log.append(records, { origin: coordinator ? 'coordinator' : 'client' });
    log.updateHighWatermark(log.logEndOffset);
    await info.durable;
    process.stdout.write(`flushed ${info.lastOffset}\n`);
  }
}

run().catch((err: unknown) => {
  process.stderr.write(`txn writer failed: ${String(err)}\n`);
  process.exit(1);
});

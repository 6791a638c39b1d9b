import { createInterface } from 'node:readline';
import { kafkaClient } from '../support/kafkajs.js';
import type { EosWorkerArgs, EosWorkerEvent } from './eos-worker-process.js';

/**
 * A consume-transform-produce worker as its own process, so a test can SIGKILL it in the
 * middle of a transaction. kafkajs consumer of `input` (read_committed, no auto-commit) in
 * `groupId`; for every batch one transaction of a transactional producer: the batch's
 * records transformed (`out:<value>`, same key) to `output`, the batch's next offset sent
 * to the group with sendOffsets, commit.
 *
 * Between those steps it stops at two checkpoints, `sent` (records written, offsets not)
 * and `offsets` (both in the transaction, not committed), writes the checkpoint on stdout
 * and waits for a line on stdin before going on: the test kills it there, inside the open
 * transaction, or lets it continue. Events are JSON lines (stdout is a pipe, written
 * synchronously on Linux, so a line is out before the request that follows it). It exits
 * when stdin closes, so a dying test leaves no orphan.
 */
const args = JSON.parse(process.argv[2] ?? '{}') as EosWorkerArgs;
const emit = (event: EosWorkerEvent): void => void process.stdout.write(`${JSON.stringify(event)}\n`);

let credits = 0;
const waiting: (() => void)[] = [];
const lines = createInterface({ input: process.stdin });
lines.on('line', () => {
  const next = waiting.shift();
  if (next === undefined) credits += 1;
  else next();
});
lines.on('close', () => process.exit(0));

function checkpoint(phase: 'sent' | 'offsets', inputs: string[]): Promise<void> {
  emit({ kind: 'checkpoint', phase, inputs });
  if (credits > 0) {
    credits -= 1;
    return Promise.resolve();
  }
  return new Promise((resolve) => waiting.push(resolve));
}

const retry = { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 };
const kafka = kafkaClient(args.bootstrap, retry);
const producer = kafka.producer({ transactionalId: args.transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: args.transactionTimeoutMs, allowAutoTopicCreation: false, retry });
const consumer = kafka.consumer({
  groupId: args.groupId, readUncommitted: false, sessionTimeout: 6000, rebalanceTimeout: 3000, heartbeatInterval: 500,
  // A few input batches per fetch, so that one run holds many transactions.
  maxBytesPerPartition: args.maxBytesPerPartition, maxWaitTimeInMs: 200, retry,
});

await producer.connect();
// InitProducerId (kafkajs sends it with the first transaction): fences the previous
// incarnation and is answered only once the transaction it left open is aborted, so the
// committed offsets read next are final.
await (await producer.transaction()).abort();
emit({ kind: 'ready' });

await consumer.connect();
await consumer.subscribe({ topic: args.input, fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset }) => {
    if (batch.messages.length === 0) return;
    const inputs = batch.messages.map((m) => m.value!.toString());
    const next = BigInt(batch.messages[batch.messages.length - 1]!.offset) + 1n;
    const txn = await producer.transaction();
    try {
      await txn.send({ topic: args.output, acks: -1, messages: batch.messages.map((m) => ({ key: m.key, value: `out:${m.value!.toString()}` })) });
      await checkpoint('sent', inputs);
      await txn.sendOffsets({ consumerGroupId: args.groupId, topics: [{ topic: args.input, partitions: [{ partition: batch.partition, offset: next.toString() }] }] });
      await checkpoint('offsets', inputs);
      await txn.commit();
    } catch (err) {
      emit({ kind: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      if (txn.isActive()) await txn.abort().catch(() => undefined);
      throw err;
    }
    // The consumer's own position: without it kafkajs fetches the batch again.
    resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    emit({ kind: 'committed', inputs });
  },
});

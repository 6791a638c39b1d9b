import { Rng } from '../../libs/broker-core/src/kafka-server/fuzz/random.js';
import { waitFor } from '../support/cluster-rest.js';
import { kafkaClient } from '../support/kafkajs.js';
import { EosWorkerProcess, type EosWorkerArgs, type EosWorkerEvent } from './eos-worker-process.js';
import { txnGatewayFixture } from './txn-fixture.js';
import { countValues, readTopic } from './topic-reader.js';
import { WireProbe } from './wire-probe.js';

// Exactly-once through a real kafkajs consume-transform-produce worker in its own process,
// SIGKILLed inside open transactions and restarted until every input is processed. The
// worker stops at two checkpoints of each transaction (records sent; offsets sent too) and
// the test decides at random, seeded, whether to let it go on or kill it there, so every
// kill lands inside a transaction. Each restarted worker's InitProducerId fences the dead
// one and has its open transaction aborted; the group's offsets only move with commits.

const PARTITIONS = 3;
const INPUTS = 90;
const KILLS = 12;
const SEED = Number(process.env.WEIR_TXN_SEED ?? Date.now() % 1_000_000);

describe('exactly-once consume-transform-produce across SIGKILLs', () => {
  const fixture = txnGatewayFixture();

  it(`every input once in the read_committed output after ${KILLS} kills mid-transaction; read_uncommitted shows the aborted attempts`, async () => {
    const { gw, admin } = fixture;
    const input = 'eos-input';
    const output = 'eos-output';
    await admin.createTopics({ topics: [{ topic: input, numPartitions: PARTITIONS }, { topic: output, numPartitions: PARTITIONS }] });
    const producer = kafkaClient(gw.bootstrap).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    // One batch per input record: the worker's small fetches then hold a few records each.
    for (let i = 0; i < INPUTS; i += 1) await producer.send({ topic: input, acks: -1, messages: [{ partition: i % PARTITIONS, key: `k${i}`, value: `in-${i}` }] });
    await producer.disconnect();

    console.log(`exactly-once: seed ${SEED} (WEIR_TXN_SEED to repeat)`);
    const rng = new Rng(SEED);
    const args: EosWorkerArgs = { bootstrap: gw.bootstrap, input, output, groupId: 'eos-group', transactionalId: 'eos-worker', transactionTimeoutMs: 10_000, maxBytesPerPartition: 256 };
    const committed = new Map<string, number>();
    const killedInputs: string[] = [];
    const killedAt = { sent: 0, offsets: 0 };
    const workerErrors: string[] = [];
    let failure: Error | undefined;
    let restarting: Promise<void> = Promise.resolve();
    let worker: EosWorkerProcess;

    const start = (): void => {
      const started = EosWorkerProcess.start(args, onEvent, (code) => (failure ??= new Error(`the worker exited (${code}) on its own:\n${started.stderr}`)));
      worker = started;
    };
    const began = Date.now();
    const timeline: string[] = [];
    function onEvent(event: EosWorkerEvent): void {
      timeline.push(`${Date.now() - began} ms ${event.kind}${event.kind === 'checkpoint' ? ` ${event.phase}` : ''}${'inputs' in event ? ` ${event.inputs.join(',')}` : ''}`);
      switch (event.kind) {
        case 'ready':
          break;
        case 'checkpoint':
          if (killedAt.sent + killedAt.offsets < KILLS && rng.chance(0.5)) {
            killedAt[event.phase] += 1;
            killedInputs.push(...event.inputs);
            restarting = worker.kill().then(start);
          } else {
            worker.proceed();
          }
          break;
        case 'committed':
          for (const v of event.inputs) committed.set(v, (committed.get(v) ?? 0) + 1);
          break;
        case 'error':
          workerErrors.push(event.message);
          break;
        default:
          event satisfies never;
      }
    }

    start();
    try {
      await waitFor('every input committed by the worker', async () => {
        if (failure !== undefined) throw failure;
        return committed.size === INPUTS;
      }, 120_000, 50);
    } catch (err) {
      throw new Error(`${(err as Error).message}; committed ${committed.size}/${INPUTS}, kills ${JSON.stringify(killedAt)}, worker errors ${JSON.stringify(workerErrors)}, failure ${failure?.message ?? 'none'}\nlast events:\n${timeline.slice(-30).join('\n')}\nworker stderr:\n${worker!.stderr}`, { cause: err });
    } finally {
      await restarting;
      await worker!.kill();
    }
    console.log(`exactly-once: ${killedAt.sent + killedAt.offsets} kills (${killedAt.sent} after the records were sent, ${killedAt.offsets} after the offsets too), ${killedInputs.length} inputs in aborted attempts`);

    expect(killedAt.sent + killedAt.offsets).toBeGreaterThanOrEqual(10);
    expect(workerErrors).toEqual([]);
    // No input was committed twice: each restart resumed after the last committed transaction.
    expect([...committed.entries()].filter(([, n]) => n !== 1)).toEqual([]);

    const probe = await WireProbe.connect(gw.bootstrap);
    const ends: bigint[] = [];
    try {
      for (let p = 0; p < PARTITIONS; p += 1) {
        // The last worker was killed outside a transaction (after its commit): nothing stays open.
        const end = await waitFor(`${output}-${p}: LSO at the HW`, async () => {
          const e = await probe.ends(output, p);
          return e.lastStableOffset === e.highWatermark ? e : undefined;
        }, 30_000);
        ends.push(end.highWatermark);
      }
    } finally {
      probe.close();
    }

    const expected = Array.from({ length: INPUTS }, (_, i) => `out:in-${i}`).sort();
    const readCommitted = await readTopic(gw.bootstrap, output, 'read_committed', ends);
    expect(readCommitted.map((r) => r.value).sort()).toEqual(expected);

    const readUncommitted = countValues(await readTopic(gw.bootstrap, output, 'read_uncommitted', ends));
    const attempts = countValues(killedInputs.map((v) => ({ partition: 0, offset: 0n, key: null, value: `out:${v}` })));
    expect(killedInputs.length).toBeGreaterThan(0);
    // Each input once committed, plus once per attempt that was killed.
    expect(new Map([...readUncommitted].sort())).toEqual(new Map(expected.map((v) => [v, 1 + (attempts.get(v) ?? 0)])));

    const offsets = await admin.fetchOffsets({ groupId: args.groupId, topics: [input] });
    expect(offsets[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(Array.from({ length: PARTITIONS }, (_, p) => [p, String(INPUTS / PARTITIONS)]));
  }, 180_000);
});

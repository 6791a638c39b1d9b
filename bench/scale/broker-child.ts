// One broker as `npm start` hosts it (embedded PGlite registry in <dataDir>/registry, one
// Kafka listener), in a process of its own so that its start-up, RSS and descriptors are
// measured alone. Driven by the parent over IPC (see ChildCommand); every reply carries
// the figures the command measured. Started by bench/scale/main.ts, never by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Broker, KafkaListener, SystemTimer } from '@weir/broker-core';
import { openRegistry } from '@weir/registry-prisma';
import { PARTITIONS_PER_TOPIC, topicName } from './layout.js';

export type ChildCommand =
  | { readonly type: 'start'; readonly dataDir: string }
  | { readonly type: 'prepare'; readonly topics: number; readonly partitionsPerTopic: number; readonly filledEvery: number }
  | { readonly type: 'touch'; readonly topics: number; readonly partitionsPerTopic: number; readonly count: number }
  | { readonly type: 'sample' }
  | { readonly type: 'stop' };

export interface ChildSample {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly openFds: number;
  readonly connections: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function sample(listener: KafkaListener | undefined): ChildSample {
  gc?.();
  const memory = process.memoryUsage();
  return { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, openFds: readdirSync('/proc/self/fd').length, connections: listener?.connectionCount ?? 0 };
}

/**
 * Whether this broker leads every partition of the prepared layout (prepared.json: `topics`
 * topics of PARTITIONS_PER_TOPIC), by table lookups: describing 100,000 partitions on every
 * poll (listTopics) cost the broker's event loop about a second of a start.
 */
function allLed(broker: Broker, dataDir: string): boolean {
  const { topics } = JSON.parse(readFileSync(join(dataDir, 'prepared.json'), 'utf8')) as { topics: number };
  for (let t = 0; t < topics; t++) for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) if (!broker.leads(topicName(t), p)) return false;
  return true;
}

let timer: SystemTimer | undefined;
let registry: Awaited<ReturnType<typeof openRegistry>> | undefined;
let broker: Broker | undefined;
let listener: KafkaListener | undefined;

async function run(command: ChildCommand): Promise<Record<string, unknown>> {
  switch (command.type) {
    case 'start': {
      const began = performance.now();
      timer = new SystemTimer();
      registry = await openRegistry({ dataDir: join(command.dataDir, 'registry'), scheduler: timer });
      const registryMs = performance.now() - began;
      listener = await KafkaListener.bind({ port: 0 });
      broker = await Broker.start({ brokerId: 0, dataDir: command.dataDir, registry, timer, advertisedHost: '127.0.0.1', advertisedPort: listener.port });
      listener.serve(broker);
      const brokerStartedMs = performance.now() - began;
      // Serving Produce for any partition needs its leader: after a stop, RF-1 partitions are
      // offline until the controller elects this broker again (as Kafka's controller does).
      while (!allLed(broker, command.dataDir)) await new Promise((resolve) => setTimeout(resolve, 20));
      return { port: listener.port, registryMs, brokerStartedMs, startMs: performance.now() - began, sinceProcessStartMs: performance.now(), ...sample(listener) };
    }
    case 'prepare': {
      const began = performance.now();
      for (let t = 0; t < command.topics; t++) {
        await broker!.createTopic({ name: topicName(t), partitions: command.partitionsPerTopic });
        if (t % command.filledEvery === 0) {
          const records = Array.from({ length: 10 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(100, 'v') }));
          for (let p = 0; p < command.partitionsPerTopic; p += 10) await broker!.produce(topicName(t), records.map((r) => ({ ...r, partition: p })), { acks: 1 });
        }
        if (t % 100 === 99) process.send!({ type: 'progress', topics: t + 1, ms: performance.now() - began });
      }
      return { prepareMs: performance.now() - began };
    }
    case 'touch': {
      // One produce of one record to `count` partitions spread over all topics: each opens its log (lazily) and its active segment's files.
      const began = performance.now();
      const total = command.topics * command.partitionsPerTopic;
      const step = Math.max(1, Math.floor(total / command.count));
      for (let i = 0, n = 0; n < command.count && i < total; i += step, n++) {
        const result = await broker!.produce(topicName(Math.floor(i / command.partitionsPerTopic)), [{ key: null, value: Buffer.from('touch'), partition: i % command.partitionsPerTopic }], { acks: 1 });
        if (result[0]!.errorCode !== 0) throw new Error(`produce to partition #${i} failed with error code ${result[0]!.errorCode}`);
      }
      return { touchMs: performance.now() - began, ...sample(listener) };
    }
    case 'sample':
      return { ...sample(listener) };
    case 'stop': {
      const began = performance.now();
      await listener?.close();
      await broker?.close();
      const brokerStopMs = performance.now() - began;
      await registry?.close();
      timer?.close();
      return { brokerStopMs, stopMs: performance.now() - began };
    }
  }
}

process.on('message', (command: ChildCommand) => {
  run(command).then(
    (figures) => process.send!({ type: 'done', command: command.type, figures }),
    (err: unknown) => process.send!({ type: 'failed', command: command.type, message: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
process.send!({ type: 'ready', sinceProcessStartMs: performance.now() });

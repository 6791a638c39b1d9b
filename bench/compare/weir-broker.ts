// The Weir broker of `npm run bench -- compare`, in its own process so that its CPU is
// its own (and --cpu-prof profiles only it):
//   node --import tsx --conditions=weir-source bench/compare/weir-broker.ts <data dir parent>
// Starts broker-core's standalone broker (file-backed partition logs in a temp data dir
// under the given parent, the default flush policy: page cache, no fsync per write; the
// registry store in memory, as it is not on the produce or fetch path), prints one JSON
// line {bootstrap, dataDir}, then answers one JSON line per command line on stdin:
//   {"op":"create","topic":T,"partitions":P}  -> {}
//   {"op":"stored","topic":T}                 -> {messages, bytes, batches} (walks every batch
//                                                through the fetch path: reads the whole log)
//   {"op":"size","topic":T}                   -> {messages, bytes} (high watermarks and the sizes
//                                                of the .log files: segments are not preallocated)
//   {"op":"delete","topic":T}                 -> {}
// Errors answer {"error": message}. Closes the broker and exits when stdin ends.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startStandaloneBroker } from '../../libs/broker-core/src/kafka-server/testing/standalone-broker.js';
import { storedTopic } from '../support/stored-batches.js';

interface Command {
  readonly op: 'create' | 'stored' | 'size' | 'delete';
  readonly topic: string;
  readonly partitions?: number;
}

const parent = process.argv[2];
const bench = await startStandaloneBroker(parent === undefined ? {} : { dataDirParent: parent });
process.stdout.write(`${JSON.stringify({ bootstrap: bench.bootstrap, dataDir: bench.dataDir })}\n`);

/** Sizes of the .log files in every directory under `dir` whose name matches `partitionDir`. */
function logFileBytes(dir: string, partitionDir: RegExp, inPartition = false): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += logFileBytes(path, partitionDir, partitionDir.test(entry.name));
    else if (inPartition && entry.name.endsWith('.log')) bytes += statSync(path).size;
  }
  return bytes;
}

async function answer(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'create':
      await bench.broker.createTopic({ name: command.topic, partitions: command.partitions ?? 1 });
      return {};
    case 'stored':
      return storedTopic(bench.broker, command.topic);
    case 'size': {
      const messages = bench.broker.describeTopic(command.topic).partitions.reduce((n, p) => n + Number(p.highWatermark), 0);
      return { messages, bytes: logFileBytes(bench.dataDir, new RegExp(`^${command.topic.replace(/[^\w]/g, '\\$&')}-\\d+$`)) };
    }
    case 'delete':
      await bench.broker.deleteTopic(command.topic);
      return {};
    default: {
      const unknown: never = command.op;
      throw new Error(`unknown op ${String(unknown)}`);
    }
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  try {
    process.stdout.write(`${JSON.stringify(await answer(JSON.parse(line) as Command))}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
  }
}
await bench.close();

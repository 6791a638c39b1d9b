import { join } from 'node:path';
import { partitionDirName } from '../segment/file-names.js';
import { CheckpointFile, type CheckpointFormat, CorruptCheckpointError, splitFields } from './checkpoint-file.js';

/** Kafka's per-log-dir file of every hosted partition's high watermark. */
export const REPLICATION_OFFSET_CHECKPOINT_FILE = 'replication-offset-checkpoint';

const VERSION = 0;
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const INTEGER = /^-?\d+$/;
const PARTITION = /^\d+$/;
/** Partitions are int32 on the wire. */
const MAX_PARTITION = 0x7fffffff;

interface TopicPartitionOffset {
  readonly key: string;
  readonly offset: bigint;
}

const FORMAT: CheckpointFormat<TopicPartitionOffset> = {
  version: VERSION,
  format: ({ key, offset }) => {
    const { topic, partition } = splitTopicPartitionKey(key);
    return `${topic} ${partition} ${offset}`;
  },
  parse: (line) => {
    const fields = splitFields(line);
    if (fields.length !== 3 || !PARTITION.test(fields[1]!) || !INTEGER.test(fields[2]!)) return undefined;
    const partition = Number(fields[1]);
    const offset = BigInt(fields[2]!);
    if (partition > MAX_PARTITION || offset < MIN_INT64 || offset > MAX_INT64) return undefined;
    return { key: partitionDirName(fields[0]!, partition), offset };
  },
};

/**
 * `<log dir>/replication-offset-checkpoint`, in Kafka's checkpoint format version 0 (see
 * CheckpointFile), one entry per partition: `<topic> <partition> <offset>`, e.g.
 *
 *   0
 *   2
 *   orders 0 1200
 *   orders 1 977
 *
 * The broker writes it every few seconds (replica.high.watermark.checkpoint.interval.ms)
 * with every hosted partition's high watermark, and reads it at start so that a
 * restarted replica does not serve its whole log as committed. Offsets are bigint, as
 * at PartitionLog's public methods. Partitions are keyed `<topic>-<partition>`, the
 * partition directory's name (see partitionDirName; topic names never hold whitespace,
 * and the partition is what follows the last '-').
 */
export class OffsetCheckpointFile {
  private readonly file: CheckpointFile<TopicPartitionOffset>;

  constructor(readonly path: string) {
    this.file = new CheckpointFile(path, FORMAT);
  }

  /** The checkpoint of a log directory. */
  static inLogDir(logDir: string): OffsetCheckpointFile {
    return new OffsetCheckpointFile(join(logDir, REPLICATION_OFFSET_CHECKPOINT_FILE));
  }

  /** Replaces the file (atomically, synced) with `offsets`, keyed `<topic>-<partition>`. */
  write(offsets: ReadonlyMap<string, bigint>): void {
    this.file.write(toEntries(offsets));
  }

  /** write() off the event loop, for the periodic checkpoint; one at a time. */
  writeAsync(offsets: ReadonlyMap<string, bigint>): Promise<void> {
    return this.file.writeAsync(toEntries(offsets));
  }

  /** The offsets, or undefined when the file does not exist; throws CorruptCheckpointError when unreadable. */
  read(): Map<string, bigint> | undefined {
    const entries = this.file.read();
    if (entries === undefined) return undefined;
    const offsets = new Map<string, bigint>();
    for (const { key, offset } of entries) {
      if (offsets.has(key)) throw new CorruptCheckpointError(this.path, `partition ${key} appears twice`);
      offsets.set(key, offset);
    }
    return offsets;
  }
}

function toEntries(offsets: ReadonlyMap<string, bigint>): TopicPartitionOffset[] {
  const entries: TopicPartitionOffset[] = [];
  for (const [key, offset] of offsets) entries.push({ key, offset });
  return entries;
}

/** Inverse of partitionDirName; throws RangeError for a key that is not `<topic>-<partition>`. */
export function splitTopicPartitionKey(key: string): { topic: string; partition: number } {
  const dash = key.lastIndexOf('-');
  const topic = key.slice(0, dash);
  const partitionText = key.slice(dash + 1);
  if (dash <= 0 || !PARTITION.test(partitionText) || Number(partitionText) > MAX_PARTITION || /\s/.test(topic)) {
    throw new RangeError(`${JSON.stringify(key)} is not a <topic>-<partition> key`);
  }
  return { topic, partition: Number(partitionText) };
}

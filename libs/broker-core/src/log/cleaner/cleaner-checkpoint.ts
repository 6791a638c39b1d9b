import { basename, join } from 'node:path';
import { CheckpointFile, type CheckpointFormat, parseSafeInteger, splitFields } from '../checkpoint/checkpoint-file.js';
import { splitTopicPartitionKey } from '../checkpoint/offset-checkpoint.js';
import type { StorageLogger } from '../logger.js';

/** Kafka's name for the file holding where each log's dirty section starts. */
export const CLEANER_OFFSET_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';

interface CleanerOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

const FORMAT: CheckpointFormat<CleanerOffset> = {
  version: 0,
  format: ({ topic, partition, offset }) => `${topic} ${partition} ${offset}`,
  parse: (line) => {
    const fields = splitFields(line);
    const partition = fields.length === 3 ? parseSafeInteger(fields[1]!) : undefined;
    const offset = fields.length === 3 ? parseSafeInteger(fields[2]!) : undefined;
    return partition === undefined || offset === undefined || partition < 0 || offset < 0 ? undefined : { topic: fields[0]!, partition, offset };
  },
};

/**
 * `<partition dir>/cleaner-offset-checkpoint`: the first offset not yet compacted (the
 * start of the dirty section), in Kafka's checkpoint format version 0 with Kafka's
 * entry `<topic> <partition> <offset>`, one entry. Kafka keeps one such file per log
 * directory for all its partitions; one per partition directory keeps it beside the
 * segments it describes, so it goes with them when the partition is deleted or moved.
 * The topic and partition come from the directory's name (`<topic>-<partition>`).
 *
 * Written (synced) by the cleaner after a pass, once its segment swaps are durable, and
 * lowered when the log is truncated below it. Read once, lazily: a missing file means
 * nothing was cleaned yet; an unreadable one is logged and read as missing (the cleaner
 * then starts from the log start again: more work, nothing lost).
 *
 * Single event loop, like the log that owns it.
 */
export class CleanerCheckpoint {
  private readonly file: CheckpointFile<CleanerOffset>;
  private loaded = false;
  private offset: number | undefined;

  constructor(
    private readonly dir: string,
    private readonly logger: StorageLogger,
  ) {
    this.file = new CheckpointFile(join(dir, CLEANER_OFFSET_CHECKPOINT_FILE), FORMAT);
  }

  /** The checkpointed first dirty offset, undefined before the first pass. */
  read(): number | undefined {
    if (!this.loaded) {
      const entries = this.file.readOrUndefined((err) => this.logger.warn(`log ${this.dir}: ${err.message}; compacting from the log start`));
      this.offset = entries?.[0]?.offset;
      this.loaded = true;
    }
    return this.offset;
  }

  write(offset: number): void {
    const { topic, partition } = this.name();
    this.file.write([{ topic, partition, offset }]);
    this.offset = offset;
    this.loaded = true;
  }

  /** After a truncation to `logEndOffset`: the clean section cannot reach past it. */
  truncateTo(logEndOffset: number): void {
    const current = this.read();
    if (current !== undefined && current > logEndOffset) this.write(logEndOffset);
  }

  private name(): { topic: string; partition: number } {
    try {
      return splitTopicPartitionKey(basename(this.dir));
    } catch {
      // Not a broker's partition directory (a tool's, a test's): the name is the whole entry.
      return { topic: basename(this.dir).replace(/\s/g, '_'), partition: 0 };
    }
  }
}

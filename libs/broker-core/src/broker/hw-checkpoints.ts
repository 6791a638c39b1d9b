import { OffsetCheckpointFile } from '../log/checkpoint/offset-checkpoint.js';
import type { BrokerLogger } from './broker-options.js';
import type { TopicTable } from './topic-table.js';

/**
 * The broker's high watermark checkpoint (Kafka's replication-offset-checkpoint in the
 * log dir): written every replica.high.watermark.checkpoint.interval.ms and at a clean
 * close with the HW of every hosted replica, read at start so a restarted replica does
 * not take its whole log as committed (a follower's HW is otherwise only learnt from its
 * leader, and a leader's only rises again as followers fetch).
 */
export class HighWatermarkCheckpoints {
  private readonly file: OffsetCheckpointFile;

  constructor(logDir: string, private readonly logger: BrokerLogger) {
    this.file = OffsetCheckpointFile.inLogDir(logDir);
  }

  /** The checkpointed HWs by `<topic>-<partition>`; empty when there is no (readable) file. */
  read(): Map<string, bigint> {
    try {
      return this.file.read() ?? new Map();
    } catch (err) {
      this.logger.error('the high watermark checkpoint is unreadable; replicas start from their log start', err);
      return new Map();
    }
  }

  /** At a clean close, synchronously. */
  write(table: TopicTable): void {
    try {
      this.file.write(highWatermarks(table));
    } catch (err) {
      this.logger.error('writing the high watermark checkpoint failed', err);
    }
  }

  /**
   * The periodic checkpoint, its fsyncs off the event loop (on a busy disk they took up to
   * 35 ms here, stalling every connection). The caller runs one at a time (PeriodicTask)
   * and stops them before the closing `write`. Never rejects.
   */
  async writeInBackground(table: TopicTable): Promise<void> {
    try {
      await this.file.writeAsync(highWatermarks(table));
    } catch (err) {
      this.logger.error('writing the high watermark checkpoint failed', err);
    }
  }
}

function highWatermarks(table: TopicTable): Map<string, bigint> {
  const offsets = new Map<string, bigint>();
  for (const topic of table.all()) {
    for (const p of topic.partitions) {
      const hw = p.checkpointHighWatermark;
      if (hw !== undefined) offsets.set(p.key, hw);
    }
  }
  return offsets;
}

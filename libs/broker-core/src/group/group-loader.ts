import type { BrokerLogger } from '../broker/broker-options.js';
import { iterateBatches } from '../log/batch/record-batch-decoder.js';
import type { PartitionLog } from '../log/partition/partition-log.js';
import type { Cancellable, Scheduler } from '../timer/scheduler.js';
import { decodeConsumerOffsetsRecord } from './consumer-offsets-record.js';
import type { GroupMetadataValue } from './group-metadata-value.js';
import type { CommittedOffset } from './group-offsets.js';

/** What an offsets partition holds once replayed: the latest value of every key, tombstoned keys gone. */
export interface LoadedPartition {
  /** Latest group metadata by group id. */
  readonly groups: Map<string, GroupMetadataValue>;
  /** Groups whose latest metadata record is a tombstone. */
  readonly removedGroups: Set<string>;
  /** Latest committed offsets by group, topic and partition. */
  readonly offsets: Map<string, Map<string, Map<number, CommittedOffset>>>;
}

export interface PartitionLoadOptions {
  readonly log: PartitionLog;
  readonly partition: number;
  /** offsets.load.buffer.size: bytes read per slice. */
  readonly bufferBytes: number;
  readonly scheduler: Scheduler;
  readonly logger: BrokerLogger;
  readonly onLoaded: (loaded: LoadedPartition) => void;
  readonly onFailed: (err: unknown) => void;
}

/**
 * Replays one `__consumer_offsets` partition from its log start to the log end offset it
 * had when the load began (Kafka's GroupMetadataManager.doLoadGroupsAndOffsets): the last
 * record per key wins, a tombstone removes the key; keys of other record kinds (KIP-848)
 * and control batches are skipped. Only the coordinator appends to the partition, and it
 * answers COORDINATOR_LOAD_IN_PROGRESS for the partition's groups meanwhile, so nothing
 * of interest lands behind the end offset taken at the start.
 *
 * The first slice is read at once, so a small partition is loaded before `start` returns;
 * further slices (offsets.load.buffer.size each) run as timer tasks, so a large partition
 * never holds the event loop for long. `cancel` stops a load whose leadership ended.
 */
export class PartitionLoad {
  private readonly loaded: LoadedPartition = { groups: new Map(), removedGroups: new Set(), offsets: new Map() };
  private next: bigint;
  private readonly endOffset: bigint;
  private pending: Cancellable | undefined;
  private cancelled = false;

  constructor(private readonly options: PartitionLoadOptions) {
    this.next = options.log.logStartOffset;
    this.endOffset = options.log.logEndOffset;
  }

  start(): void {
    this.step();
  }

  cancel(): void {
    this.cancelled = true;
    this.pending?.cancel();
  }

  private step(): void {
    this.pending = undefined;
    if (this.cancelled) return;
    try {
      if (this.next < this.options.log.logStartOffset) this.next = this.options.log.logStartOffset;
      if (this.next < this.endOffset) this.readSlice();
    } catch (err) {
      this.options.onFailed(err);
      return;
    }
    if (this.next < this.endOffset) this.pending = this.options.scheduler.schedule(0, () => this.step());
    else this.options.onLoaded(this.loaded);
  }

  private readSlice(): void {
    const { log, bufferBytes } = this.options;
    const data = log.read(this.next, bufferBytes, { maxOffset: this.endOffset, minOneMessage: true });
    if (data.records.length === 0) {
      // Nothing readable below the end (a gap compaction left): done.
      this.next = this.endOffset;
      return;
    }
    for (const batch of iterateBatches(data.records, 0, { verifyCrc: false, allowPartialTail: true })) {
      this.next = batch.lastOffset + 1n;
      if (batch.isControl) continue;
      for (const record of batch.records) {
        if (record.key === null) {
          this.options.logger.warn(`__consumer_offsets-${this.options.partition}: record at offset ${record.offset} has no key; skipped`);
          continue;
        }
        this.apply(decodeConsumerOffsetsRecord(record.key, record.value), batch.baseOffset);
      }
    }
  }

  private apply(record: ReturnType<typeof decodeConsumerOffsetsRecord>, batchOffset: bigint): void {
    const { groups, removedGroups, offsets } = this.loaded;
    switch (record.type) {
      case 'offset': {
        let byTopic = offsets.get(record.group);
        if (record.value === null) {
          byTopic?.get(record.topic)?.delete(record.partition);
          return;
        }
        if (byTopic === undefined) offsets.set(record.group, (byTopic = new Map()));
        let byPartition = byTopic.get(record.topic);
        if (byPartition === undefined) byTopic.set(record.topic, (byPartition = new Map()));
        byPartition.set(record.partition, { value: record.value, recordOffset: batchOffset });
        return;
      }
      case 'group':
        if (record.value === null) {
          groups.delete(record.group);
          removedGroups.add(record.group);
        } else {
          groups.set(record.group, record.value);
          removedGroups.delete(record.group);
        }
        return;
      case 'unknown':
        return;
    }
  }
}

import type { BrokerLogger } from '../broker/broker-options.js';
import { ControlRecordType, decodeControlRecordKey, isTxnMarkerBatch } from '../log/batch/control-record.js';
import type { DecodedRecordBatch } from '../log/batch/record-batch-decoder.js';
import type { PartitionLog } from '../log/partition/partition-log.js';
import type { Scheduler } from '../timer/scheduler.js';
import { SlicedLogReplay } from '../broker/sliced-log-replay.js';
import { decodeConsumerOffsetsRecord } from './consumer-offsets-record.js';
import type { GroupMetadataValue } from './group-metadata-value.js';
import type { CommittedOffset } from './group-offsets.js';

/** Offsets by group, topic and partition. */
export type OffsetsByGroup = Map<string, Map<string, Map<number, CommittedOffset>>>;

/** What an offsets partition holds once replayed: the latest value of every key, tombstoned keys gone. */
export interface LoadedPartition {
  /** Latest group metadata by group id. */
  readonly groups: Map<string, GroupMetadataValue>;
  /** Groups whose latest metadata record is a tombstone. */
  readonly removedGroups: Set<string>;
  /** Latest committed offsets by group, topic and partition (transactional ones once their COMMIT marker was read). */
  readonly offsets: OffsetsByGroup;
  /** Transactional commits whose marker lies beyond the part loaded, by producer id: still pending. */
  readonly pendingTxnOffsets: Map<bigint, OffsetsByGroup>;
  /** Groups that committed offsets through transactions. */
  readonly transactionalGroups: Set<string>;
}

export function emptyLoadedPartition(): LoadedPartition {
  return { groups: new Map(), removedGroups: new Set(), offsets: new Map(), pendingTxnOffsets: new Map(), transactionalGroups: new Set() };
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
 * are skipped. Offset records of a transactional batch are held per producer id until the
 * producer's marker: a COMMIT applies them (unless a later record of the key was applied
 * already), an ABORT drops them; those without a marker yet stay pending. The reading
 * itself, in slices on the timer, is SlicedLogReplay's.
 */
export class PartitionLoad {
  private readonly loaded = emptyLoadedPartition();
  private readonly replay: SlicedLogReplay;

  constructor(private readonly options: PartitionLoadOptions) {
    const { log, bufferBytes, scheduler, onFailed } = options;
    this.replay = new SlicedLogReplay({
      log, bufferBytes, scheduler, onFailed, onBatch: (batch) => this.applyBatch(batch), onDone: () => options.onLoaded(this.loaded),
    });
  }

  start(): void {
    this.replay.start();
  }

  cancel(): void {
    this.replay.cancel();
  }

  private applyBatch(batch: DecodedRecordBatch): void {
    if (batch.isControl) {
      if (isTxnMarkerBatch(batch)) this.endTxn(batch);
      return;
    }
    const txnOffsets = batch.isTransactional ? this.pendingOf(batch.producerId) : undefined;
    for (const record of batch.records) {
      if (record.key === null) {
        this.options.logger.warn(`__consumer_offsets-${this.options.partition}: record at offset ${record.offset} has no key; skipped`);
        continue;
      }
      this.apply(decodeConsumerOffsetsRecord(record.key, record.value), batch.baseOffset, txnOffsets);
    }
  }

  private pendingOf(producerId: bigint): OffsetsByGroup {
    let offsets = this.loaded.pendingTxnOffsets.get(producerId);
    if (offsets === undefined) this.loaded.pendingTxnOffsets.set(producerId, (offsets = new Map()));
    return offsets;
  }

  /** A COMMIT or ABORT marker of the batch's producer settles its pending offsets. */
  private endTxn(batch: DecodedRecordBatch): void {
    const marker = batch.records[0];
    if (marker === undefined) return;
    const pending = this.loaded.pendingTxnOffsets.get(batch.producerId);
    this.loaded.pendingTxnOffsets.delete(batch.producerId);
    if (pending === undefined || decodeControlRecordKey(marker.key).type !== ControlRecordType.COMMIT) return;
    for (const [group, byTopic] of pending) {
      for (const [topic, partitions] of byTopic) {
        for (const [partition, committed] of partitions) {
          const current = this.loaded.offsets.get(group)?.get(topic)?.get(partition);
          if (current === undefined || current.recordOffset < committed.recordOffset) setOffset(this.loaded.offsets, group, topic, partition, committed);
        }
      }
    }
  }

  private apply(record: ReturnType<typeof decodeConsumerOffsetsRecord>, batchOffset: bigint, txnOffsets: OffsetsByGroup | undefined): void {
    const { groups, removedGroups } = this.loaded;
    switch (record.type) {
      case 'offset': {
        if (txnOffsets !== undefined) this.loaded.transactionalGroups.add(record.group);
        const offsets = txnOffsets ?? this.loaded.offsets;
        if (record.value === null) offsets.get(record.group)?.get(record.topic)?.delete(record.partition);
        else setOffset(offsets, record.group, record.topic, record.partition, { value: record.value, recordOffset: batchOffset });
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

function setOffset(offsets: OffsetsByGroup, group: string, topic: string, partition: number, committed: CommittedOffset): void {
  let byTopic = offsets.get(group);
  if (byTopic === undefined) offsets.set(group, (byTopic = new Map()));
  let byPartition = byTopic.get(topic);
  if (byPartition === undefined) byTopic.set(topic, (byPartition = new Map()));
  byPartition.set(partition, committed);
}

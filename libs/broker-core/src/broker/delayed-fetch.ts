import { DelayedOperation } from '../timer/delayed-operation.js';
import type { FetchRequest, FetchResult } from './broker-api.js';
import type { Partition } from './partition.js';
import type { TopicTable } from './topic-table.js';

/** Where one partition of a waiting fetch stood when it began to wait. */
interface WatchedPartition {
  readonly request: FetchRequest;
  readonly partition: Partition | undefined;
  /** Bytes the first read found for it. */
  readonly initialBytes: number;
  /** Log size when the wait began: growth since is data appended. */
  readonly baselineSize: number;
  /** The HW when the wait began: a consumer can read appended data only once it moves. */
  readonly baselineHighWatermark: bigint;
}

/**
 * A fetch waiting for `minBytes` (Kafka's DelayedFetch): completes as soon as enough bytes
 * have become readable across its partitions, or when one of them can no longer be
 * served from here (deleted, leadership moved, fetch offset now out of range), or when
 * `maxWaitMs` runs out on the timer. Either way it then reads once and hands the results
 * to `respond`.
 *
 * The check runs on every append and HW move of a watched partition, so it must not read
 * data: readable bytes are estimated from how much each log grew since the wait began,
 * capped at the partition's maxBytes. A follower reads to the log end, so every appended
 * byte counts; a consumer's growth counts once the HW has moved (an overestimate at
 * worst, which only ends the wait early with what is readable).
 */
export class DelayedFetch extends DelayedOperation {
  private readonly watched: WatchedPartition[];

  constructor(
    delayMs: number,
    private readonly table: TopicTable,
    first: readonly FetchResult[],
    requests: readonly FetchRequest[],
    private readonly minBytes: number,
    private readonly fromReplica: boolean,
    private readonly read: () => FetchResult[],
    private readonly respond: (results: FetchResult[]) => void,
  ) {
    super(delayMs);
    this.watched = requests.map((request, i) => {
      const partition = table.partition(request.topic, request.partition);
      return {
        request, partition, initialBytes: first[i]?.records.length ?? 0, baselineSize: partition?.log?.size ?? 0,
        baselineHighWatermark: partition?.highWatermark ?? -1n,
      };
    });
  }

  tryComplete(): boolean {
    let bytes = 0;
    for (const w of this.watched) {
      const current = this.table.partition(w.request.topic, w.request.partition);
      const log = current?.log;
      if (current === undefined || current !== w.partition || log === undefined || !current.isLeader) return this.forceComplete();
      if (w.request.fetchOffset > log.logEndOffset || w.request.fetchOffset < log.logStartOffset) return this.forceComplete();
      // A follower reads to the log end; a consumer only below the HW, so growth counts once the HW moved.
      const visible = this.fromReplica || current.highWatermark > w.baselineHighWatermark;
      const grown = visible ? Math.max(0, log.size - w.baselineSize) : 0;
      bytes += Math.min(w.initialBytes + grown, Math.max(w.request.maxBytes, 0));
    }
    return bytes >= this.minBytes ? this.forceComplete() : false;
  }

  onComplete(): void {
    this.respond(this.read());
  }

  onExpiration(): void {
    // The response is the same as on completion; the purgatory counts the expiry.
  }
}

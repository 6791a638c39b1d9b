import { KAFKA_ERRORS, KafkaError } from '../errors.js';
import { LENGTH_OFFSET, LOG_OVERHEAD, lastOffsetNumberAt } from '../log/batch/batch-header.js';
import { EMPTY_BUFFER } from './error-codes.js';
import type { FetchRequest, FetchResult } from './broker-api.js';
import type { TopicTable } from './topic-table.js';

export type Isolation = 'read_uncommitted' | 'read_committed';

/**
 * One partition's share of a fetch: stored batches from `fetchOffset` up to the HW
 * (read_uncommitted) or the LSO (read_committed), or the log end for a follower, at most `maxBytes` of whole batches
 * except that a first batch larger than that still comes whole when `minOneMessage` (Kafka's
 * rule, so a consumer is never stuck behind one big batch). Errors are codes, never thrown.
 */
export function readPartition(
  table: TopicTable, request: FetchRequest, isolation: Isolation, minOneMessage = true, replicaId = -1,
): FetchResult {
  const { topic, partition, fetchOffset, maxBytes } = request;
  const found = table.partition(topic, partition);
  if (found === undefined) return failed(request, KAFKA_ERRORS.UNKNOWN_TOPIC_OR_PARTITION.code);
  try {
    const log = found.leaderLog();
    found.checkLeaderEpoch(request.currentLeaderEpoch ?? -1);
    const fromReplica = replicaId >= 0;
    if (fromReplica && (!found.replicas.includes(replicaId) || replicaId === found.leader)) {
      throw new KafkaError('NOT_LEADER_OR_FOLLOWER', `broker ${replicaId} is not a follower of ${found.key}`);
    }
    // A follower reads up to the log end: its copy is what moves the HW.
    const bound = fromReplica ? undefined : isolation === 'read_committed' ? found.lastStableOffset : found.highWatermark;
    const data = log.read(fetchOffset, Math.max(0, maxBytes), bound === undefined ? { minOneMessage } : { maxOffset: bound, minOneMessage });
    const result: FetchResult = {
      topic, partition, errorCode: 0, highWatermark: found.highWatermark, logStartOffset: log.logStartOffset,
      lastStableOffset: found.lastStableOffset, records: data.records,
    };
    if (fromReplica || isolation !== 'read_committed') return result;
    // The aborted transactions a read_committed consumer must drop from these batches (Kafka's
    // FetchResponse.AbortedTransactions): those overlapping [fetchOffset, end of the data).
    const upperBound = data.records.length === 0 ? fetchOffset : nextOffsetAfter(data.records);
    const aborted = upperBound > fetchOffset ? log.collectAbortedTransactions(fetchOffset, upperBound) : [];
    return { ...result, abortedTransactions: aborted.map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset })) };
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
    return { ...failed(request, err.code), highWatermark: found.highWatermark, logStartOffset: found.logStartOffset, lastStableOffset: found.lastStableOffset };
  }
}

function failed(request: FetchRequest, errorCode: number): FetchResult {
  return {
    topic: request.topic, partition: request.partition, errorCode, highWatermark: -1n, logStartOffset: -1n, lastStableOffset: -1n,
    records: EMPTY_BUFFER,
  };
}

/** The offset after the last whole batch of `records` (stored batches, read back from the log). */
function nextOffsetAfter(records: Buffer): bigint {
  let last = -1;
  for (let pos = 0; pos + LOG_OVERHEAD <= records.length; ) {
    const size = LOG_OVERHEAD + records.readInt32BE(pos + LENGTH_OFFSET);
    if (pos + size > records.length) break;
    last = lastOffsetNumberAt(records, pos);
    pos += size;
  }
  return BigInt(last + 1);
}

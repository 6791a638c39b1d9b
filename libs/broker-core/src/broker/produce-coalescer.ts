import type { AppendOptions, ProduceRecord, ProduceResult } from './broker-api.js';

/** RecordBatch v2 header bytes, paid once per batch. */
const BATCH_OVERHEAD_BYTES = 61;
/** A record's framing: length, attributes, deltas and counts as varints, rounded up. */
const RECORD_OVERHEAD_BYTES = 32;
/** A header's framing: name and value lengths as varints, rounded up. */
const HEADER_OVERHEAD_BYTES = 10;

type ProduceMany = (topic: string, records: readonly ProduceRecord[], options: AppendOptions) => Promise<ProduceResult[]>;

interface Waiter {
  resolve(result: ProduceResult): void;
  reject(err: unknown): void;
}

/** The one-record calls gathered for one topic with the same acks and timeout. */
interface Group {
  readonly key: string;
  readonly topic: string;
  readonly options: AppendOptions;
  readonly records: ProduceRecord[];
  readonly waiters: Waiter[];
  /** Upper bound of the encoded, uncompressed batch size of `records`. */
  bytes: number;
}

/**
 * Gathers concurrent one-record produce calls (the REST gateway's single-record POST is
 * one call per HTTP request) and hands each topic's gathering to the ordinary multi-record
 * produce at the end of the event-loop turn: one RecordBatch and one log write per
 * partition instead of one per request. Every caller still gets its own result: offsets
 * are the batch's base offset plus the record's index, exactly as for a records:batch call,
 * and a caller's promise settles only after the append (and the fsync, when the topic's
 * flush policy asks) that holds its record.
 *
 * A batch fails or succeeds as a whole, so the broker only hands this class records that
 * cannot fail a batch their neighbours share: no explicit timestamp (the broker's own
 * time is always valid), an uncompressed topic, and a gathering whose size bound stays
 * within max.message.bytes (a record too large on its own still goes alone and fails
 * alone). The turn ends with setImmediate, after the poll phase that read the requests:
 * no timer, no added wait beyond the current turn.
 */
export class ProduceCoalescer {
  private readonly open = new Map<string, Group>();
  private flushScheduled = false;

  constructor(private readonly produceMany: ProduceMany) {}

  add(topic: string, record: ProduceRecord, options: AppendOptions, maxMessageBytes: number): Promise<ProduceResult> {
    const size = recordBytesBound(record);
    const key = `${options.acks}:${options.timeoutMs}:${topic}`;
    let group = this.open.get(key);
    if (group !== undefined && group.bytes + size > maxMessageBytes) {
      this.flush(group);
      group = undefined;
    }
    if (group === undefined) {
      group = { key, topic, options, records: [], waiters: [], bytes: BATCH_OVERHEAD_BYTES };
      this.open.set(key, group);
    }
    group.records.push(record);
    group.bytes += size;
    const promise = new Promise<ProduceResult>((resolve, reject) => group.waiters.push({ resolve, reject }));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushAll);
    }
    return promise;
  }

  private readonly flushAll = (): void => {
    this.flushScheduled = false;
    for (const group of this.open.values()) this.flush(group);
  };

  private flush(group: Group): void {
    this.open.delete(group.key);
    const { waiters } = group;
    this.produceMany(group.topic, group.records, group.options).then(
      (results) => {
        for (let i = 0; i < waiters.length; i++) waiters[i]!.resolve(results[i]!);
      },
      (err: unknown) => {
        for (const waiter of waiters) waiter.reject(err);
      },
    );
  }
}

/** An upper bound of the record's size inside an uncompressed batch. */
function recordBytesBound(record: ProduceRecord): number {
  let bytes = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const header of record.headers ?? []) bytes += HEADER_OVERHEAD_BYTES + Buffer.byteLength(header.key) + (header.value?.length ?? 0);
  return bytes;
}

import type {
  BrokerApi, OffsetResetAuditSink, OffsetResetMode, OffsetResetRequest, OffsetResetResult, PartitionOffsetReset, TopicPartitionRef,
} from '../broker/broker-api.js';
import { KafkaError, isKafkaError, kafkaErrorName } from '../errors.js';
import { byTopicPartition } from './group-admin.js';
import { topicRanges } from './lag.js';

/**
 * Offset resets as kafka-consumer-groups --reset-offsets does them: planned per partition
 * from the group's committed offsets and the partition's log range, refused unless the
 * group is Empty or Dead (dry runs too, as the tool), and applied as one simple commit
 * (generation -1) through the coordinator. Targets outside [log start, log end] are
 * clamped into it, as the tool's checkOffsetsRange does (to-offset, shift-by, and here
 * from-group too); a timestamp past the last record resets to the log end.
 *
 * `planOffsetReset` is pure (each partition's inputs already looked up);
 * `resetConsumerGroupOffsets` gathers the inputs through a BrokerApi, then commits.
 */

/** The group is active: Kafka's tool refuses with these words. The gateway answers 409. */
export class OffsetResetRefused extends Error {
  override readonly name = 'OffsetResetRefused';
  constructor(readonly groupId: string, readonly state: string) {
    super(`Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${state}.`);
  }
}

export const NO_AUDIT: OffsetResetAuditSink = { offsetsReset: () => undefined };

/** One partition's inputs to a plan. */
export interface ResetInput extends TopicPartitionRef {
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
  readonly committed: bigint | null;
  /** datetime / duration: the first offset at or after the timestamp, null when none is. */
  readonly byTimestamp?: bigint | null;
  /** from-group: the other group's committed offset, null when it has none. */
  readonly fromGroup?: bigint | null;
}

/** The reset of every input partition; from-group skips partitions the other group has not committed. */
export function planOffsetReset(mode: OffsetResetMode, inputs: readonly ResetInput[]): PartitionOffsetReset[] {
  const planned: PartitionOffsetReset[] = [];
  for (const input of inputs) {
    const target = targetOf(mode, input);
    if (target === undefined) continue;
    const after = target < input.logStartOffset ? input.logStartOffset : target > input.logEndOffset ? input.logEndOffset : target;
    planned.push({
      topic: input.topic, partition: input.partition, before: input.committed, after,
      logStartOffset: input.logStartOffset, logEndOffset: input.logEndOffset, clampedFrom: after === target ? null : target,
    });
  }
  return planned.sort(byTopicPartition);
}

function targetOf(mode: OffsetResetMode, input: ResetInput): bigint | undefined {
  switch (mode.mode) {
    case 'earliest': return input.logStartOffset;
    case 'latest': return input.logEndOffset;
    // As the tool: partitions without a commit go to the log end.
    case 'current': return input.committed ?? input.logEndOffset;
    case 'offset': return mode.offset;
    case 'shift-by':
      if (input.committed === null) {
        throw new KafkaError('INVALID_REQUEST', `Cannot shift offset for partition ${input.topic}-${input.partition} since there is no current committed offset.`);
      }
      return input.committed + mode.shiftBy;
    case 'datetime':
    case 'duration': return input.byTimestamp ?? input.logEndOffset;
    case 'from-group': return input.fromGroup ?? undefined;
    default: {
      const never: never = mode;
      throw new Error(`unknown reset mode ${String(never)}`);
    }
  }
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/** An ISO-8601 duration as Java's Duration.parse takes it (PnDTnHnMnS), in milliseconds. */
export function parseDurationMs(text: string): number {
  const m = DURATION.exec(text.toUpperCase());
  if (m === null || text.length < 3 || text.toUpperCase().endsWith('T')) {
    throw new KafkaError('INVALID_REQUEST', `'${text}' is not an ISO-8601 duration such as PT1H30M or P1DT12H.`);
  }
  const [, d, h, min, s] = m;
  return Number(d ?? 0) * 86_400_000 + Number(h ?? 0) * 3_600_000 + Number(min ?? 0) * 60_000 + Math.round(Number(s ?? 0) * 1000);
}

type ResetApi = Pick<
  BrokerApi, 'describeConsumerGroup' | 'fetchConsumerGroupOffsets' | 'commitConsumerGroupOffsets' | 'describeTopic' | 'listOffset'
>;

/** Gathers each partition's inputs, plans, and (unless a dry run) commits and tells the audit sink. */
export async function resetConsumerGroupOffsets(
  api: ResetApi, groupId: string, request: OffsetResetRequest, options: { nowMs: number; audit?: OffsetResetAuditSink },
): Promise<OffsetResetResult> {
  const state = await stateOf(api, groupId);
  if (state !== 'Empty' && state !== 'Dead') throw new OffsetResetRefused(groupId, state);
  const committed = state === 'Dead' ? [] : await api.fetchConsumerGroupOffsets(groupId);
  const committedBy = new Map(committed.map((c) => [`${c.partition}:${c.topic}`, c.offset]));
  const ranges = topicRanges(api);
  const refs = scopePartitions(api, request, committed);
  const timestampMs = request.mode === 'datetime' ? request.timestampMs : request.mode === 'duration' ? options.nowMs - parseDurationMs(request.duration) : undefined;
  const other = request.mode === 'from-group' ? await otherGroupOffsets(api, request.groupId) : undefined;

  const inputs: ResetInput[] = [];
  for (const ref of refs) {
    const range = ranges(ref.topic, ref.partition);
    if (range === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic-partition: ${ref.topic}-${ref.partition}`);
    const byTimestamp = timestampMs === undefined ? undefined : (await api.listOffset(ref.topic, ref.partition, BigInt(timestampMs)))?.offset ?? null;
    inputs.push({
      ...ref, ...range, committed: committedBy.get(`${ref.partition}:${ref.topic}`) ?? null,
      ...(byTimestamp === undefined ? {} : { byTimestamp }),
      ...(other === undefined ? {} : { fromGroup: other.get(`${ref.partition}:${ref.topic}`) ?? null }),
    });
  }
  const result: OffsetResetResult = { groupId, dryRun: request.dryRun, partitions: planOffsetReset(request, inputs) };
  if (request.dryRun || result.partitions.length === 0) return result;

  const outcomes = await api.commitConsumerGroupOffsets(groupId, result.partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.after })));
  const failed = outcomes.find((o) => o.errorCode !== 0);
  if (failed !== undefined) {
    const name = kafkaErrorName(failed.errorCode);
    throw new KafkaError(name === undefined || name === 'NONE' ? 'UNKNOWN_SERVER_ERROR' : name, `committing ${failed.topic}-${failed.partition} for group '${groupId}'`);
  }
  (options.audit ?? NO_AUDIT).offsetsReset(groupId, request, result);
  return result;
}

async function stateOf(api: ResetApi, groupId: string): Promise<string> {
  try {
    return (await api.describeConsumerGroup(groupId)).state;
  } catch (err) {
    if (isKafkaError(err, 'GROUP_ID_NOT_FOUND')) return 'Dead';
    throw err;
  }
}

async function otherGroupOffsets(api: ResetApi, groupId: string): Promise<Map<string, bigint>> {
  try {
    return new Map((await api.fetchConsumerGroupOffsets(groupId)).map((c) => [`${c.partition}:${c.topic}`, c.offset]));
  } catch (err) {
    if (isKafkaError(err, 'GROUP_ID_NOT_FOUND')) throw new KafkaError('GROUP_ID_NOT_FOUND', `Group '${groupId}' to copy offsets from does not exist.`);
    throw err;
  }
}

function scopePartitions(api: ResetApi, request: OffsetResetRequest, committed: readonly TopicPartitionRef[]): TopicPartitionRef[] {
  switch (request.scope) {
    case 'all': return [...committed];
    case 'topic': return api.describeTopic(request.topic).partitions.map((p) => ({ topic: request.topic, partition: p.partition }));
    case 'partitions': return [...request.partitions];
    default: {
      const never: never = request;
      throw new Error(`unknown reset scope ${String(never)}`);
    }
  }
}

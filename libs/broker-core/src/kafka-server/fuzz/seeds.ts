import { CompressionType, TimestampType } from '../../log/batch/batch-header.js';
import { encodeRecordBatch, type RecordInput } from '../../log/batch/record-batch-encoder.js';
import { encodeAlterConfigsRequest, makeAlterConfigsRequest, makeAlterConfigsRequestAlterableConfig, makeAlterConfigsRequestResource } from '../../protocol/alterConfigs/index.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { encodeApiVersionsRequest, makeApiVersionsRequest } from '../../protocol/apiVersions/index.js';
import {
  encodeCreatePartitionsRequest, makeCreatePartitionsRequest, makeCreatePartitionsRequestAssignment, makeCreatePartitionsRequestTopic,
} from '../../protocol/createPartitions/index.js';
import {
  encodeCreateTopicsRequest, makeCreateTopicsRequest, makeCreateTopicsRequestCreatableReplicaAssignment, makeCreateTopicsRequestCreatableTopic,
  makeCreateTopicsRequestCreateableTopicConfig,
} from '../../protocol/createTopics/index.js';
import { encodeDeleteRecordsRequest, makeDeleteRecordsRequest, makeDeleteRecordsRequestPartition, makeDeleteRecordsRequestTopic } from '../../protocol/deleteRecords/index.js';
import { encodeDeleteTopicsRequest, makeDeleteTopicsRequest, makeDeleteTopicsRequestDeleteTopicState } from '../../protocol/deleteTopics/index.js';
import { encodeDescribeClusterRequest, makeDescribeClusterRequest } from '../../protocol/describeCluster/index.js';
import { encodeDescribeConfigsRequest, makeDescribeConfigsRequest, makeDescribeConfigsRequestResource } from '../../protocol/describeConfigs/index.js';
import {
  encodeFetchRequest, makeFetchRequest, makeFetchRequestForgottenTopic, makeFetchRequestPartition, makeFetchRequestReplicaState,
  makeFetchRequestTopic,
} from '../../protocol/fetch/request.js';
import {
  encodeIncrementalAlterConfigsRequest, makeIncrementalAlterConfigsRequest, makeIncrementalAlterConfigsRequestAlterableConfig,
  makeIncrementalAlterConfigsRequestAlterConfigsResource,
} from '../../protocol/incrementalAlterConfigs/index.js';
import { encodeListOffsetsRequest, makeListOffsetsRequest, makeListOffsetsRequestPartition, makeListOffsetsRequestTopic } from '../../protocol/listOffsets/index.js';
import { encodeMetadataRequest, makeMetadataRequest, makeMetadataRequestTopic, type MetadataRequestTopic } from '../../protocol/metadata/index.js';
import { NULL_UUID } from '../../protocol/primitives/reader.js';
import type { Writer } from '../../protocol/primitives/writer.js';
import { encodeProduceRequest, makeProduceRequest, makeProduceRequestPartitionProduceData, makeProduceRequestTopicProduceData } from '../../protocol/produce/index.js';
import {
  encodeAlterPartitionReassignmentsRequest, makeAlterPartitionReassignmentsRequest, makeAlterPartitionReassignmentsRequestReassignablePartition,
  makeAlterPartitionReassignmentsRequestReassignableTopic,
} from '../../protocol/alterPartitionReassignments/index.js';
import { encodeDescribeLogDirsRequest, makeDescribeLogDirsRequest, makeDescribeLogDirsRequestDescribableLogDirTopic } from '../../protocol/describeLogDirs/index.js';
import { encodeElectLeadersRequest, makeElectLeadersRequest, makeElectLeadersRequestTopicPartitions } from '../../protocol/electLeaders/index.js';
import {
  encodeListPartitionReassignmentsRequest, makeListPartitionReassignmentsRequest, makeListPartitionReassignmentsRequestTopics,
} from '../../protocol/listPartitionReassignments/index.js';
import {
  encodeOffsetForLeaderEpochRequest, makeOffsetForLeaderEpochRequest, makeOffsetForLeaderEpochRequestOffsetForLeaderPartition,
  makeOffsetForLeaderEpochRequestOffsetForLeaderTopic,
} from '../../protocol/offsetForLeaderEpoch/index.js';
import { GROUP_SEED_BUILDERS } from './group-seeds.js';
import { TXN_SEED_BUILDERS } from './txn-seeds.js';
import { ACL_SEED_BUILDERS } from './acl-seeds.js';
import { SASL_SEED_BUILDERS } from './sasl-seeds.js';
import type { Rng } from './random.js';

/** What seed frames may refer to: the topics the fuzz server keeps around, their ids when known. */
export interface SeedContext {
  /** Topic names most seeds use (created by CreateTopics seeds, deleted by DeleteTopics seeds). */
  readonly topics: readonly string[];
  /** Topic ids (UUID form) the fuzzer learnt; random ids are used besides. */
  readonly topicIds: readonly string[];
  /** The topic of the well-behaved client: never named by a seed. */
  readonly protectedTopics: readonly string[];
}

/** Writes one request body of `apiKey` in `version`, with values drawn from `rng`. */
export type SeedBuilder = (rng: Rng, version: number, ctx: SeedContext, out: Writer) => void;

/** Timestamps are drawn around a fixed instant (2026-01-01), not the clock, so frames depend on the seed alone. */
const SEED_TIME_MS = 1_767_225_600_000;

const INT32_EDGES = [0, 1, -1, 2, 0x7fffffff, -0x80000000, 1024, 65536];
const INT64_EDGES = [0n, 1n, -1n, -2n, -3n, 2n ** 63n - 1n, -(2n ** 63n), 1000n];

export function int32(rng: Rng): number {
  return rng.weighted([[3, rng.pick(INT32_EDGES)], [2, rng.range(-4, 64)], [1, rng.i32()]]);
}

function int16(rng: Rng): number {
  return rng.weighted([[3, rng.range(-1, 3)], [1, rng.pick([0x7fff, -0x8000])], [1, (rng.u32() & 0xffff) - 0x8000]]);
}

export function int64(rng: Rng): bigint {
  return rng.weighted([[3, rng.pick(INT64_EDGES)], [3, BigInt(rng.range(0, 200))], [1, BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()))]]);
}

export function bool(rng: Rng): boolean {
  return rng.chance(0.5);
}

const ILLEGAL_NAMES = ['', '.', '..', 'has space', 'x'.repeat(250), 'ünïcödé', 'slash/name', 'a\u0000b', '__weir_internal'];

export function topicName(rng: Rng, ctx: SeedContext): string {
  return rng.weighted([
    [16, () => rng.pick(ctx.topics)],
    [2, () => `fuzz-r-${rng.int(1000)}`],
    [2, () => rng.pick(ILLEGAL_NAMES)],
    [1, () => 'x'.repeat(rng.range(1, 300))],
  ])();
}

function randomUuid(rng: Rng): string {
  const hex = rng.bytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function topicId(rng: Rng, ctx: SeedContext): string {
  return rng.weighted([[4, () => (ctx.topicIds.length > 0 ? rng.pick(ctx.topicIds) : randomUuid(rng))], [1, () => NULL_UUID], [1, () => randomUuid(rng)]])();
}

export function partition(rng: Rng): number {
  return rng.weighted([[8, rng.range(0, 3)], [1, -1], [1, int32(rng)]]);
}

export function count(rng: Rng, max = 3): number {
  return rng.weighted([[12, rng.range(1, max)], [2, 0], [1, rng.range(max, 40)]]);
}

export function times<T>(n: number, make: () => T): T[] {
  return Array.from({ length: n }, make);
}

/**
 * The entries of a request's widest array: usually a few, now and then hundreds to
 * thousands of copies of one entry (the same partition fetched 2,000 times), which is
 * how a small request asks for a large response.
 */
export function wide<T>(rng: Rng, make: () => T): T[] {
  if (rng.chance(0.02)) return new Array<T>(rng.range(100, 2000)).fill(make());
  return times(count(rng, 2), make);
}

export function text(rng: Rng): string {
  return rng.weighted([[4, 'weir-fuzz'], [1, ''], [1, rng.bytes(rng.size(40)).toString('latin1')], [1, rng.bytes(rng.size(40)).toString('base64')]]);
}

/** Real RecordBatch v2 bytes: one to three batches of a few records, sometimes compressed or transactional. */
export function recordBatches(rng: Rng): Buffer {
  const batches = times(rng.weighted([[8, 1], [2, 2], [1, 3]]), () => {
    const records: RecordInput[] = times(rng.range(1, 5), () => ({
      key: rng.chance(0.3) ? null : rng.bytes(rng.size(32)),
      value: rng.chance(0.1) ? null : rng.bytes(rng.size(256)),
      headers: rng.chance(0.2) ? [{ key: 'h', value: rng.bytes(rng.size(8)) }] : [],
    }));
    const idempotent = rng.chance(0.15);
    return encodeRecordBatch({
      records,
      defaultTimestamp: rng.chance(0.9) ? SEED_TIME_MS + rng.int(86_400_000) : int64(rng),
      compression: rng.weighted([[8, CompressionType.NONE], [1, CompressionType.GZIP], [1, rng.pick([CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD])]]),
      timestampType: TimestampType.CREATE_TIME,
      isTransactional: idempotent && rng.chance(0.3),
      ...(idempotent ? { producerId: BigInt(rng.range(0, 5)), producerEpoch: rng.range(0, 2), baseSequence: rng.range(0, 10) } : {}),
    });
  });
  return batches.length === 1 ? batches[0]! : Buffer.concat(batches);
}

const CONFIGS: readonly (readonly [string, readonly string[]])[] = [
  ['retention.ms', ['-1', '60000', '3600000']],
  ['retention.bytes', ['-1', '1000000']],
  ['max.message.bytes', ['1000', '1048588', '0']],
  ['cleanup.policy', ['delete', 'compact', 'compact,delete', 'bogus']],
  ['compression.type', ['producer', 'gzip', 'uncompressed', 'zstd', 'lz4', 'snappy']],
  ['message.timestamp.type', ['CreateTime', 'LogAppendTime']],
  ['min.insync.replicas', ['1', '2']],
  ['flush.messages', ['1000', '9223372036854775807']],
  ['segment.ms', ['3600000', '604800000']],
  ['no.such.config', ['x']],
];

function config(rng: Rng): { name: string; value: string | null } {
  const [name, values] = rng.pick(CONFIGS);
  return { name, value: rng.weighted([[8, rng.pick(values)], [1, null], [1, text(rng)]]) };
}

const RESOURCE_TYPES = [2, 2, 2, 4, 8, 0, 1, 99];

function resourceName(rng: Rng, type: number, ctx: SeedContext): string {
  if (type === 4 || type === 8) return rng.pick(['', '1', '2', 'x']);
  return topicName(rng, ctx);
}

const produce: SeedBuilder = (rng, v, ctx, out) => {
  encodeProduceRequest(out, makeProduceRequest({
    transactionalId: rng.chance(0.9) ? null : text(rng),
    acks: rng.weighted([[6, -1], [4, 1], [1, 0], [1, int16(rng)]]),
    timeoutMs: rng.weighted([[8, 30_000], [1, 0], [1, int32(rng)]]),
    topicData: times(count(rng, 2), () => makeProduceRequestTopicProduceData({
      name: topicName(rng, ctx),
      partitionData: wide(rng, () => makeProduceRequestPartitionProduceData({
        index: partition(rng),
        records: rng.weighted<() => Buffer | null>([[20, () => recordBatches(rng)], [1, () => null], [1, () => Buffer.alloc(0)], [1, () => rng.bytes(rng.size(100))]])(),
      })),
    })),
  }), v);
};

const fetch: SeedBuilder = (rng, v, ctx, out) => {
  encodeFetchRequest(out, makeFetchRequest({
    clusterId: rng.chance(0.8) ? null : text(rng),
    replicaId: rng.weighted([[8, -1], [1, 1], [1, int32(rng)]]),
    replicaState: rng.chance(0.9) ? makeFetchRequestReplicaState() : makeFetchRequestReplicaState({ replicaId: int32(rng), replicaEpoch: int64(rng) }),
    maxWaitMs: rng.weighted([[6, 0], [3, rng.range(1, 50)], [1, int32(rng)]]),
    minBytes: rng.weighted([[6, 1], [2, 0], [1, rng.range(1, 1 << 20)], [1, int32(rng)]]),
    maxBytes: rng.weighted([[6, 1 << 20], [1, 0], [1, int32(rng)]]),
    isolationLevel: rng.weighted([[4, 0], [4, 1], [1, rng.range(-128, 127)]]),
    sessionId: rng.weighted([[12, 0], [1, int32(rng)]]),
    sessionEpoch: rng.weighted([[6, -1], [6, 0], [1, int32(rng)]]),
    topics: times(count(rng, 2), () => makeFetchRequestTopic({
      topic: topicName(rng, ctx),
      topicId: topicId(rng, ctx),
      partitions: wide(rng, () => makeFetchRequestPartition({
        partition: partition(rng),
        currentLeaderEpoch: rng.weighted([[6, -1], [2, 0], [1, int32(rng)]]),
        fetchOffset: rng.weighted([[6, BigInt(rng.range(0, 20))], [2, int64(rng)]]),
        lastFetchedEpoch: rng.weighted([[6, -1], [1, int32(rng)]]),
        logStartOffset: rng.weighted([[6, -1n], [1, int64(rng)]]),
        partitionMaxBytes: rng.weighted([[6, 1 << 20], [1, 0], [1, rng.range(1, 100)], [1, int32(rng)]]),
      })),
    })),
    forgottenTopicsData: rng.chance(0.8) ? [] : times(count(rng, 2), () => makeFetchRequestForgottenTopic({
      topic: topicName(rng, ctx), topicId: topicId(rng, ctx), partitions: times(count(rng), () => partition(rng)),
    })),
    rackId: rng.chance(0.8) ? '' : text(rng),
  }), v);
};

/** A Fetch that waits: min_bytes no fuzz topic reaches, a short max_wait_ms. Bursts of these stay in flight together. */
export const longPollFetch: SeedBuilder = (rng, v, ctx, out) => {
  encodeFetchRequest(out, makeFetchRequest({
    maxWaitMs: rng.range(50, 200),
    minBytes: 64 << 20,
    topics: [makeFetchRequestTopic({ topic: rng.pick(ctx.topics), topicId: topicId(rng, ctx), partitions: [makeFetchRequestPartition({ partition: rng.range(0, 3), fetchOffset: 0n, partitionMaxBytes: 1 << 20 })] })],
  }), v);
};

const listOffsets: SeedBuilder = (rng, v, ctx, out) => {
  encodeListOffsetsRequest(out, makeListOffsetsRequest({
    replicaId: rng.weighted([[8, -1], [1, int32(rng)]]),
    isolationLevel: rng.weighted([[4, 0], [4, 1], [1, rng.range(-128, 127)]]),
    topics: times(count(rng, 2), () => makeListOffsetsRequestTopic({
      name: topicName(rng, ctx),
      partitions: wide(rng, () => makeListOffsetsRequestPartition({
        partitionIndex: partition(rng),
        currentLeaderEpoch: rng.weighted([[6, -1], [1, int32(rng)]]),
        timestamp: rng.weighted([[3, -1n], [3, -2n], [2, -3n], [1, BigInt(SEED_TIME_MS + rng.int(86_400_000))], [1, int64(rng)]]),
        maxNumOffsets: rng.weighted([[6, 1], [1, int32(rng)]]),
      })),
    })),
  }), v);
};

const metadata: SeedBuilder = (rng, v, ctx, out) => {
  encodeMetadataRequest(out, makeMetadataRequest({
    topics: rng.weighted<() => MetadataRequestTopic[] | null>([
      [2, () => (v >= 1 ? null : [])],
      [6, () => wide(rng, () => makeMetadataRequestTopic({ name: topicName(rng, ctx) }))],
      [2, () => (v >= 10 ? times(count(rng), () => makeMetadataRequestTopic({ name: rng.chance(0.5) ? null : topicName(rng, ctx), topicId: topicId(rng, ctx) })) : [])],
    ])(),
    allowAutoTopicCreation: bool(rng),
    includeClusterAuthorizedOperations: bool(rng),
    includeTopicAuthorizedOperations: bool(rng),
  }), v);
};

const apiVersions: SeedBuilder = (rng, v, _ctx, out) => {
  encodeApiVersionsRequest(out, makeApiVersionsRequest({ clientSoftwareName: text(rng), clientSoftwareVersion: rng.pick(['1.0', '', '3.7.1']) }), v);
};

const createTopics: SeedBuilder = (rng, v, ctx, out) => {
  encodeCreateTopicsRequest(out, makeCreateTopicsRequest({
    topics: times(count(rng, 2), () => {
      const manual = rng.chance(0.15);
      return makeCreateTopicsRequestCreatableTopic({
        name: topicName(rng, ctx),
        numPartitions: manual ? -1 : rng.weighted([[8, rng.range(1, 3)], [2, -1], [1, 0], [1, int32(rng)]]),
        replicationFactor: manual ? -1 : rng.weighted([[6, 1], [3, -1], [1, int16(rng)]]),
        assignments: manual ? times(count(rng), () => makeCreateTopicsRequestCreatableReplicaAssignment({ partitionIndex: rng.range(-1, 3), brokerIds: times(count(rng, 1), () => rng.weighted([[4, 1], [1, int32(rng)]])) })) : [],
        configs: rng.chance(0.7) ? [] : times(count(rng), () => makeCreateTopicsRequestCreateableTopicConfig(config(rng))),
      });
    }),
    timeoutMs: rng.weighted([[8, 30_000], [1, int32(rng)]]),
    validateOnly: rng.chance(0.3),
  }), v);
};

const deleteTopics: SeedBuilder = (rng, v, ctx, out) => {
  encodeDeleteTopicsRequest(out, makeDeleteTopicsRequest({
    topicNames: wide(rng, () => topicName(rng, ctx)),
    topics: times(count(rng, 2), () => rng.chance(0.5)
      ? makeDeleteTopicsRequestDeleteTopicState({ name: topicName(rng, ctx) })
      : makeDeleteTopicsRequestDeleteTopicState({ name: null, topicId: topicId(rng, ctx) })),
    timeoutMs: rng.weighted([[8, 30_000], [1, int32(rng)]]),
  }), v);
};

const deleteRecords: SeedBuilder = (rng, v, ctx, out) => {
  encodeDeleteRecordsRequest(out, makeDeleteRecordsRequest({
    topics: times(count(rng, 2), () => makeDeleteRecordsRequestTopic({
      name: topicName(rng, ctx),
      partitions: wide(rng, () => makeDeleteRecordsRequestPartition({ partitionIndex: partition(rng), offset: rng.weighted([[4, -1n], [4, BigInt(rng.range(0, 20))], [1, int64(rng)]]) })),
    })),
    timeoutMs: rng.weighted([[8, 30_000], [1, int32(rng)]]),
  }), v);
};

const describeConfigs: SeedBuilder = (rng, v, ctx, out) => {
  encodeDescribeConfigsRequest(out, makeDescribeConfigsRequest({
    resources: wide(rng, () => {
      const resourceType = rng.pick(RESOURCE_TYPES);
      return makeDescribeConfigsRequestResource({
        resourceType,
        resourceName: resourceName(rng, resourceType, ctx),
        configurationKeys: rng.chance(0.6) ? null : times(count(rng), () => rng.chance(0.8) ? rng.pick(CONFIGS)[0] : text(rng)),
      });
    }),
    includeSynonyms: bool(rng),
    includeDocumentation: bool(rng),
  }), v);
};

const alterConfigs: SeedBuilder = (rng, v, ctx, out) => {
  encodeAlterConfigsRequest(out, makeAlterConfigsRequest({
    resources: times(count(rng, 2), () => {
      const resourceType = rng.pick(RESOURCE_TYPES);
      return makeAlterConfigsRequestResource({
        resourceType,
        resourceName: resourceName(rng, resourceType, ctx),
        configs: times(count(rng), () => makeAlterConfigsRequestAlterableConfig(config(rng))),
      });
    }),
    validateOnly: rng.chance(0.3),
  }), v);
};

const createPartitions: SeedBuilder = (rng, v, ctx, out) => {
  encodeCreatePartitionsRequest(out, makeCreatePartitionsRequest({
    topics: times(count(rng, 2), () => makeCreatePartitionsRequestTopic({
      name: topicName(rng, ctx),
      count: rng.weighted([[8, rng.range(1, 6)], [1, 0], [1, int32(rng)]]),
      assignments: rng.chance(0.8) ? null : times(count(rng), () => makeCreatePartitionsRequestAssignment({ brokerIds: times(count(rng, 1), () => rng.weighted([[4, 1], [1, int32(rng)]])) })),
    })),
    timeoutMs: rng.weighted([[8, 30_000], [1, int32(rng)]]),
    validateOnly: rng.chance(0.3),
  }), v);
};

const incrementalAlterConfigs: SeedBuilder = (rng, v, ctx, out) => {
  encodeIncrementalAlterConfigsRequest(out, makeIncrementalAlterConfigsRequest({
    resources: times(count(rng, 2), () => {
      const resourceType = rng.pick(RESOURCE_TYPES);
      return makeIncrementalAlterConfigsRequestAlterConfigsResource({
        resourceType,
        resourceName: resourceName(rng, resourceType, ctx),
        configs: times(count(rng), () => makeIncrementalAlterConfigsRequestAlterableConfig({ ...config(rng), configOperation: rng.weighted([[8, rng.range(0, 3)], [1, rng.range(-128, 127)]]) })),
      });
    }),
    validateOnly: rng.chance(0.3),
  }), v);
};

const describeCluster: SeedBuilder = (rng, v, _ctx, out) => {
  encodeDescribeClusterRequest(out, makeDescribeClusterRequest({ includeClusterAuthorizedOperations: bool(rng), endpointType: rng.weighted([[6, 1], [1, 2], [1, rng.range(-128, 127)]]) }), v);
};

const offsetForLeaderEpoch: SeedBuilder = (rng, v, ctx, out) => {
  encodeOffsetForLeaderEpochRequest(out, makeOffsetForLeaderEpochRequest({
    replicaId: rng.weighted([[6, -1], [1, 1], [1, int32(rng)]]),
    topics: times(count(rng, 2), () => makeOffsetForLeaderEpochRequestOffsetForLeaderTopic({
      topic: topicName(rng, ctx),
      partitions: wide(rng, () => makeOffsetForLeaderEpochRequestOffsetForLeaderPartition({
        partition: partition(rng),
        currentLeaderEpoch: rng.weighted([[6, -1], [2, 0], [1, int32(rng)]]),
        leaderEpoch: rng.weighted([[6, 0], [2, rng.range(-1, 5)], [1, int32(rng)]]),
      })),
    })),
  }), v);
};

const electLeaders: SeedBuilder = (rng, v, ctx, out) => {
  encodeElectLeadersRequest(out, makeElectLeadersRequest({
    electionType: rng.weighted([[6, 0], [3, 1], [1, rng.range(-128, 127)]]),
    topicPartitions: rng.chance(0.2) ? null : times(count(rng, 2), () => makeElectLeadersRequestTopicPartitions({
      topic: topicName(rng, ctx), partitions: times(count(rng), () => partition(rng)),
    })),
    timeoutMs: rng.weighted([[8, 30_000], [1, int32(rng)]]),
  }), v);
};

const alterPartitionReassignments: SeedBuilder = (rng, v, ctx, out) => {
  encodeAlterPartitionReassignmentsRequest(out, makeAlterPartitionReassignmentsRequest({
    timeoutMs: rng.weighted([[8, 30_000], [1, int32(rng)]]),
    topics: times(count(rng, 2), () => makeAlterPartitionReassignmentsRequestReassignableTopic({
      name: topicName(rng, ctx),
      partitions: times(count(rng), () => makeAlterPartitionReassignmentsRequestReassignablePartition({
        partitionIndex: partition(rng),
        replicas: rng.weighted<number[] | null>([[5, [1]], [2, null], [1, []], [1, [1, 1]], [1, times(count(rng, 1), () => int32(rng))]]),
      })),
    })),
  }), v);
};

const listPartitionReassignments: SeedBuilder = (rng, v, ctx, out) => {
  encodeListPartitionReassignmentsRequest(out, makeListPartitionReassignmentsRequest({
    timeoutMs: rng.weighted([[8, 30_000], [1, int32(rng)]]),
    topics: rng.chance(0.4) ? null : times(count(rng, 2), () => makeListPartitionReassignmentsRequestTopics({
      name: topicName(rng, ctx), partitionIndexes: times(count(rng), () => partition(rng)),
    })),
  }), v);
};

const describeLogDirs: SeedBuilder = (rng, v, ctx, out) => {
  encodeDescribeLogDirsRequest(out, makeDescribeLogDirsRequest({
    topics: rng.chance(0.4) ? null : times(count(rng, 2), () => makeDescribeLogDirsRequestDescribableLogDirTopic({
      topic: topicName(rng, ctx), partitions: times(count(rng), () => partition(rng)),
    })),
  }), v);
};

/** A seed builder for every API with generated codecs; each builds every version its codec speaks. */
export const SEED_BUILDERS: ReadonlyMap<number, SeedBuilder> = new Map([
  [API_KEYS.Produce, produce],
  [API_KEYS.Fetch, fetch],
  [API_KEYS.ListOffsets, listOffsets],
  [API_KEYS.Metadata, metadata],
  [API_KEYS.ApiVersions, apiVersions],
  [API_KEYS.CreateTopics, createTopics],
  [API_KEYS.DeleteTopics, deleteTopics],
  [API_KEYS.DeleteRecords, deleteRecords],
  [API_KEYS.DescribeConfigs, describeConfigs],
  [API_KEYS.AlterConfigs, alterConfigs],
  [API_KEYS.CreatePartitions, createPartitions],
  [API_KEYS.IncrementalAlterConfigs, incrementalAlterConfigs],
  [API_KEYS.DescribeCluster, describeCluster],
  [API_KEYS.OffsetForLeaderEpoch, offsetForLeaderEpoch],
  [API_KEYS.ElectLeaders, electLeaders],
  [API_KEYS.AlterPartitionReassignments, alterPartitionReassignments],
  [API_KEYS.ListPartitionReassignments, listPartitionReassignments],
  [API_KEYS.DescribeLogDirs, describeLogDirs],
  ...GROUP_SEED_BUILDERS,
  ...TXN_SEED_BUILDERS,
  ...ACL_SEED_BUILDERS,
  ...SASL_SEED_BUILDERS,
]);

import type { LogDirDescription } from '../../broker/broker-api.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeDescribeLogDirsRequest, encodeDescribeLogDirsResponse, makeDescribeLogDirsResponse, makeDescribeLogDirsResponsePartition,
  makeDescribeLogDirsResponseResult, makeDescribeLogDirsResponseTopic, type DescribeLogDirsRequest,
} from '../../protocol/describeLogDirs/index.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { AclOperation } from '../../security/acl.js';
import { clusterAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';

/**
 * DescribeLogDirs (KIP-113): this broker's log directory with the size of each replica in
 * it (all of them, or the partitions asked for), and from v4 the file system's total and
 * usable bytes. Operators' tools (kafka-log-dirs) and other gateways' broker views ask it.
 */
export const describeLogDirsHandler = defineHandler({
  apiKey: API_KEYS.DescribeLogDirs,
  name: 'DescribeLogDirs',
  minVersion: 1,
  maxVersion: 4,
  decode: decodeDescribeLogDirsRequest,
  encode: encodeDescribeLogDirsResponse,
  handle(ctx, request) {
    const { broker } = ctx;
    // DESCRIBE on the cluster, as Kafka (v3+ carries the error; before, the answer is empty).
    if (!clusterAuthorized(ctx, AclOperation.DESCRIBE)) return makeDescribeLogDirsResponse({ errorCode: KAFKA_ERRORS.CLUSTER_AUTHORIZATION_FAILED.code });
    return makeDescribeLogDirsResponse({ results: broker.describeLogDirs().map((dir) => logDirResult(dir, request)) });
  },
});

function logDirResult(dir: LogDirDescription, request: DescribeLogDirsRequest) {
  const wanted = request.topics === null ? undefined : new Map(request.topics.map((t) => [t.topic, new Set(t.partitions)]));
  const byTopic = new Map<string, LogDirDescription['replicas'][number][]>();
  for (const r of dir.replicas) {
    if (wanted !== undefined && !wanted.get(r.topic)?.has(r.partition)) continue;
    byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
  }
  return makeDescribeLogDirsResponseResult({
    logDir: dir.path,
    totalBytes: dir.totalBytes,
    usableBytes: dir.usableBytes,
    topics: [...byTopic].map(([name, replicas]) => makeDescribeLogDirsResponseTopic({
      name,
      partitions: replicas.map((r) => makeDescribeLogDirsResponsePartition({ partitionIndex: r.partition, partitionSize: BigInt(r.sizeBytes), offsetLag: r.offsetLag })),
    })),
  });
}

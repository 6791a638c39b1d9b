import type { BrokerApi, PartitionOutcome, TxnMarkerEntry } from '../../broker/broker-api.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeWriteTxnMarkersRequest, encodeWriteTxnMarkersResponse, makeWriteTxnMarkersResponse, makeWriteTxnMarkersResponseWritableTxnMarkerPartitionResult,
  makeWriteTxnMarkersResponseWritableTxnMarkerResult, makeWriteTxnMarkersResponseWritableTxnMarkerTopicResult,
} from '../../protocol/writeTxnMarkers/index.js';
import { AclOperation } from '../../security/acl.js';
import { clusterAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';

/** A broker that appends transaction markers as leader (Broker does; other BrokerApi implementations do not). */
interface MarkerWriter {
  writeTxnMarkers(entry: TxnMarkerEntry): Promise<PartitionOutcome[]>;
}

function markerWriterOf(broker: BrokerApi): MarkerWriter | undefined {
  const writer = broker as Partial<MarkerWriter>;
  return typeof writer.writeTxnMarkers === 'function' ? (writer as MarkerWriter) : undefined;
}

/**
 * WriteTxnMarkers (inter-broker, from a transaction coordinator): for each producer, the
 * COMMIT or ABORT marker on each of its partitions this broker leads, answered per
 * partition (NOT_LEADER_OR_FOLLOWER where it does not lead; the coordinator retries).
 * Markers of one request are written concurrently, as Kafka appends them in one call.
 */
export const writeTxnMarkersHandler = defineHandler({
  apiKey: API_KEYS.WriteTxnMarkers,
  name: 'WriteTxnMarkers',
  minVersion: 0,
  maxVersion: 1,
  decode: decodeWriteTxnMarkersRequest,
  encode: encodeWriteTxnMarkersResponse,
  async handle(ctx, request) {
    // Only brokers send markers: CLUSTER_ACTION on the cluster, as Kafka.
    const allowed = clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION);
    const writer = markerWriterOf(ctx.broker);
    const markers = await Promise.all(request.markers.map(async (m) => {
      const partitions = m.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
      const outcomes = !allowed ? partitions.map((p) => ({ ...p, errorCode: KAFKA_ERRORS.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: null }))
        : writer === undefined
        ? partitions.map((p) => ({ ...p, errorCode: KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code, errorMessage: null }))
        : await writer.writeTxnMarkers({
          producerId: m.producerId, producerEpoch: m.producerEpoch, coordinatorEpoch: m.coordinatorEpoch,
          result: m.transactionResult ? 'COMMIT' : 'ABORT', partitions,
        });
      const byTopic = new Map<string, ReturnType<typeof makeWriteTxnMarkersResponseWritableTxnMarkerPartitionResult>[]>();
      for (const o of outcomes) {
        const list = byTopic.get(o.topic) ?? [];
        list.push(makeWriteTxnMarkersResponseWritableTxnMarkerPartitionResult({ partitionIndex: o.partition, errorCode: o.errorCode }));
        byTopic.set(o.topic, list);
      }
      return makeWriteTxnMarkersResponseWritableTxnMarkerResult({
        producerId: m.producerId,
        topics: [...byTopic].map(([name, partitions]) => makeWriteTxnMarkersResponseWritableTxnMarkerTopicResult({ name, partitions })),
      });
    }));
    return makeWriteTxnMarkersResponse({ markers });
  },
});

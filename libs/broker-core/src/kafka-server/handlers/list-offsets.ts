import type { BrokerApi, IsolationLevel } from '../../broker/broker-api.js';
import { errorCodeOf } from '../../broker/error-codes.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeListOffsetsRequest, encodeListOffsetsResponse, makeListOffsetsResponse, makeListOffsetsResponsePartitionResponse,
  makeListOffsetsResponseTopicResponse, type ListOffsetsRequestPartition, type ListOffsetsResponsePartitionResponse,
} from '../../protocol/listOffsets/index.js';
import { isolationFromWire } from '../../protocol/isolation-level.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { AclOperation, AclResourceType } from '../../security/acl.js';
import { kafkaAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';

/**
 * ListOffsets: -1 the end a consumer sees (the HW, or the LSO for read_committed), -2 the
 * log start, -3 the offset of the largest timestamp, else the first offset whose timestamp
 * is at least the one given (offset -1 when there is none). A follower (replica id >= 0)
 * asking for -1 gets the log end offset. v0 answers the old style, a list of offsets.
 * Each topic needs DESCRIBE (TOPIC_AUTHORIZATION_FAILED per partition otherwise).
 */
export const listOffsetsHandler = defineHandler({
  apiKey: API_KEYS.ListOffsets,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 8,
  decode: decodeListOffsetsRequest,
  encode: encodeListOffsetsResponse,
  async handle(ctx, request, header) {
    const { broker } = ctx;
    // v2+ carries the isolation level (v0-1: read_uncommitted).
    const isolation: IsolationLevel = header.apiVersion >= 2 ? isolationFromWire(request.isolationLevel) : 'read_uncommitted';
    const topics = await Promise.all(request.topics.map(async (topic) => {
      if (!kafkaAuthorized(ctx, AclOperation.DESCRIBE, AclResourceType.TOPIC, topic.name)) {
        return makeListOffsetsResponseTopicResponse({
          name: topic.name,
          partitions: topic.partitions.map((p) => makeListOffsetsResponsePartitionResponse({ partitionIndex: p.partitionIndex, errorCode: KAFKA_ERRORS.TOPIC_AUTHORIZATION_FAILED.code })),
        });
      }
      const epochs = leaderEpochs(broker, topic.name);
      return makeListOffsetsResponseTopicResponse({
        name: topic.name,
        partitions: await Promise.all(topic.partitions.map((p) => partitionOffset(broker, topic.name, p, epochs, header.apiVersion, request.replicaId, isolation))),
      });
    }));
    return makeListOffsetsResponse({ topics });
  },
});

/** Leader epoch per partition, read once per topic; empty for a topic that does not exist. */
function leaderEpochs(broker: BrokerApi, topic: string): number[] {
  try {
    return broker.describeTopic(topic).partitions.map((p) => p.leaderEpoch);
  } catch {
    return [];
  }
}

async function partitionOffset(
  broker: BrokerApi, topic: string, p: ListOffsetsRequestPartition, epochs: readonly number[], version: number, replicaId: number, isolation: IsolationLevel,
): Promise<ListOffsetsResponsePartitionResponse> {
  try {
    const found = await broker.listOffset(topic, p.partitionIndex, p.timestamp, { replicaId, currentLeaderEpoch: p.currentLeaderEpoch, isolation });
    const leaderEpoch = epochs[p.partitionIndex] ?? -1;
    const offset = found?.offset ?? -1n;
    return makeListOffsetsResponsePartitionResponse({
      partitionIndex: p.partitionIndex,
      oldStyleOffsets: version === 0 && found !== undefined && p.maxNumOffsets > 0 ? [offset] : [],
      offset,
      timestamp: found?.timestamp ?? -1n,
      leaderEpoch: found === undefined ? -1 : leaderEpoch,
    });
  } catch (err) {
    return makeListOffsetsResponsePartitionResponse({ partitionIndex: p.partitionIndex, errorCode: errorCodeOf(err).errorCode });
  }
}

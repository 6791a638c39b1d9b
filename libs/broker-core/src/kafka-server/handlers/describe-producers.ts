import { errorCodeOf } from '../../broker/error-codes.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeDescribeProducersRequest, encodeDescribeProducersResponse, makeDescribeProducersResponse, makeDescribeProducersResponsePartitionResponse,
  makeDescribeProducersResponseProducerState, makeDescribeProducersResponseTopicResponse,
} from '../../protocol/describeProducers/index.js';
import { KafkaError } from '../../errors.js';
import { AclOperation } from '../../security/acl.js';
import { topicAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';

/**
 * DescribeProducers (KIP-664): the producers a partition's leader keeps state for (epoch,
 * last sequence, last timestamp, coordinator epoch, the first offset of an open
 * transaction) — what kafka-transactions.sh find-hanging reads. Answered per partition:
 * NOT_LEADER_OR_FOLLOWER off the leader, UNKNOWN_TOPIC_OR_PARTITION for what does not exist.
 */
export const describeProducersHandler = defineHandler({
  apiKey: API_KEYS.DescribeProducers,
  name: 'DescribeProducers',
  minVersion: 0,
  maxVersion: 0,
  decode: decodeDescribeProducersRequest,
  encode: encodeDescribeProducersResponse,
  async handle(ctx, request) {
    const { broker } = ctx;
    const topics = await Promise.all(request.topics.map(async (t) => makeDescribeProducersResponseTopicResponse({
      name: t.name,
      partitions: await Promise.all(t.partitionIndexes.map(async (partitionIndex) => {
        try {
          if (!topicAuthorized(ctx, AclOperation.READ, t.name)) throw new KafkaError('TOPIC_AUTHORIZATION_FAILED', `Not authorized to read topic ${t.name}`);
          const producers = await broker.describeProducers(t.name, partitionIndex);
          return makeDescribeProducersResponsePartitionResponse({
            partitionIndex, activeProducers: producers.map((p) => makeDescribeProducersResponseProducerState({ ...p })),
          });
        } catch (err) {
          const { errorCode, errorMessage } = errorCodeOf(err);
          return makeDescribeProducersResponsePartitionResponse({ partitionIndex, errorCode, errorMessage });
        }
      })),
    })));
    return makeDescribeProducersResponse({ topics });
  },
});

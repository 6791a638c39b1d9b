import { errorCodeOf } from '../../broker/error-codes.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeOffsetForLeaderEpochRequest, encodeOffsetForLeaderEpochResponse, makeOffsetForLeaderEpochResponse,
  makeOffsetForLeaderEpochResponseEpochEndOffset, makeOffsetForLeaderEpochResponseOffsetForLeaderTopicResult,
} from '../../protocol/offsetForLeaderEpoch/index.js';
import { KafkaError } from '../../errors.js';
import { AclOperation } from '../../security/acl.js';
import { clusterAuthorized, topicAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';

/**
 * OffsetForLeaderEpoch (KIP-101/279/320): a follower (or a consumer checking for log
 * truncation) asks the leader where an epoch ended; the answer decides where it truncates.
 * current_leader_epoch fences a requester with a stale view of the leadership.
 */
export const offsetForLeaderEpochHandler = defineHandler({
  apiKey: API_KEYS.OffsetForLeaderEpoch,
  name: 'OffsetForLeaderEpoch',
  minVersion: 0,
  maxVersion: 4,
  decode: decodeOffsetForLeaderEpochRequest,
  encode: encodeOffsetForLeaderEpochResponse,
  handle(ctx, request) {
    const { broker } = ctx;
    // Followers (replica id >= 0) need CLUSTER_ACTION, clients DESCRIBE on each topic.
    const follower = request.replicaId >= 0;
    const clusterAction = follower && clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION);
    return makeOffsetForLeaderEpochResponse({
      topics: request.topics.map((t) => makeOffsetForLeaderEpochResponseOffsetForLeaderTopicResult({
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          try {
            if (follower ? !clusterAction : !topicAuthorized(ctx, AclOperation.DESCRIBE, t.topic)) {
              throw new KafkaError('TOPIC_AUTHORIZATION_FAILED', `Not authorized to describe topic ${t.topic}`);
            }
            const found = broker.offsetForLeaderEpoch(t.topic, p.partition, p.leaderEpoch, p.currentLeaderEpoch);
            return makeOffsetForLeaderEpochResponseEpochEndOffset({ partition: p.partition, leaderEpoch: found.leaderEpoch, endOffset: found.endOffset });
          } catch (err) {
            return makeOffsetForLeaderEpochResponseEpochEndOffset({
              partition: p.partition, errorCode: errorCodeOf(err).errorCode, leaderEpoch: -1, endOffset: -1n,
            });
          }
        }),
      })),
    });
  },
});

import { errorCodeOf } from '../../broker/error-codes.js';
import { KAFKA_ERRORS, KafkaError } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeDeleteRecordsRequest, encodeDeleteRecordsResponse, makeDeleteRecordsResponse, makeDeleteRecordsResponsePartitionResult,
  makeDeleteRecordsResponseTopicResult, type DeleteRecordsRequestPartition, type DeleteRecordsResponsePartitionResult,
} from '../../protocol/deleteRecords/index.js';
import {
  decodeDescribeClusterRequest, encodeDescribeClusterResponse, makeDescribeClusterResponse, makeDescribeClusterResponseBroker,
} from '../../protocol/describeCluster/index.js';
import { OPERATIONS_NOT_REQUESTED } from './authorized-operations.js';
import { AclOperation, AclResourceType, CLUSTER_RESOURCE_NAME } from '../../security/acl.js';
import { kafkaAuthorizedOperations, topicAuthorized } from '../../security/authorizer-door.js';
import type { ServerContext } from '../api-handler.js';
import { defineHandler } from './define-handler.js';

/** DescribeCluster's endpoint types (v1+): Weir's brokers answer for brokers only. */
const ENDPOINT_TYPE_BROKERS = 1;

export const describeClusterHandler = defineHandler({
  apiKey: API_KEYS.DescribeCluster,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 1,
  decode: decodeDescribeClusterRequest,
  encode: encodeDescribeClusterResponse,
  handle(ctx, request) {
    const { broker } = ctx;
    if (request.endpointType !== ENDPOINT_TYPE_BROKERS) {
      return makeDescribeClusterResponse({
        errorCode: KAFKA_ERRORS.UNSUPPORTED_ENDPOINT_TYPE.code,
        errorMessage: `Unsupported endpoint type ${request.endpointType}`,
        endpointType: request.endpointType,
      });
    }
    const cluster = broker.describeCluster();
    return makeDescribeClusterResponse({
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId,
      brokers: cluster.brokers.map((b) => makeDescribeClusterResponseBroker({ brokerId: b.brokerId, host: b.host, port: b.port, rack: b.rack })),
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? kafkaAuthorizedOperations(ctx, AclResourceType.CLUSTER, CLUSTER_RESOURCE_NAME) : OPERATIONS_NOT_REQUESTED,
    });
  },
});

/** DeleteRecords: moves each partition's log start to the offset given (-1: the high watermark). Needs DELETE on each topic. */
export const deleteRecordsHandler = defineHandler({
  apiKey: API_KEYS.DeleteRecords,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  decode: decodeDeleteRecordsRequest,
  encode: encodeDeleteRecordsResponse,
  async handle(ctx, request) {
    const topics = await Promise.all(request.topics.map(async (t) => makeDeleteRecordsResponseTopicResult({
      name: t.name,
      partitions: await Promise.all(t.partitions.map((p) => deletePartitionRecords(ctx, t.name, p))),
    })));
    return makeDeleteRecordsResponse({ topics });
  },
});

async function deletePartitionRecords(ctx: ServerContext, topic: string, p: DeleteRecordsRequestPartition): Promise<DeleteRecordsResponsePartitionResult> {
  try {
    if (!topicAuthorized(ctx, AclOperation.DELETE, topic)) throw new KafkaError('TOPIC_AUTHORIZATION_FAILED', `Not authorized to delete records of topic ${topic}`);
    const lowWatermark = await ctx.broker.deleteRecords(topic, p.partitionIndex, p.offset);
    return makeDeleteRecordsResponsePartitionResult({ partitionIndex: p.partitionIndex, lowWatermark });
  } catch (err) {
    return makeDeleteRecordsResponsePartitionResult({ partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: errorCodeOf(err).errorCode });
  }
}

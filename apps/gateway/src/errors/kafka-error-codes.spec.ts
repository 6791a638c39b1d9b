import { KafkaError, LocalClusterError } from '@weir/broker-core';
import { confluentErrorOf } from './confluent-exception.filter.js';
import { restErrorCodeOfKafkaCode, restErrorCodeOfKafkaError } from './kafka-error-codes.js';
import { RestError } from './rest-error.js';

describe('Kafka error -> Confluent error code', () => {
  it.each([
    ['UNKNOWN_TOPIC_OR_PARTITION', 40403],
    ['TOPIC_ALREADY_EXISTS', 40002],
    ['INVALID_CONFIG', 40002],
    ['INVALID_PARTITIONS', 40002],
    ['INVALID_REPLICATION_FACTOR', 40002],
    ['INVALID_TOPIC_EXCEPTION', 40002],
    ['MESSAGE_TOO_LARGE', 413],
    ['TOPIC_AUTHORIZATION_FAILED', 40301],
    ['BROKER_NOT_AVAILABLE', 50302],
    ['NOT_LEADER_OR_FOLLOWER', 50003],
    ['OFFSET_METADATA_TOO_LARGE', 50002],
    ['ELECTION_NOT_NEEDED', 40901],
    ['REASSIGNMENT_IN_PROGRESS', 40901],
    ['NO_REASSIGNMENT_IN_PROGRESS', 404],
    ['INVALID_REPLICA_ASSIGNMENT', 40002],
    ['ELIGIBLE_LEADERS_NOT_AVAILABLE', 50003],
    ['NOT_ENOUGH_REPLICAS', 50003],
  ] as const)('%s -> %d', (name, code) => {
    expect(restErrorCodeOfKafkaError(name)).toBe(code);
  });

  it('maps numeric codes, unknown ones to 50002', () => {
    expect(restErrorCodeOfKafkaCode(3)).toBe(40403);
    expect(restErrorCodeOfKafkaCode(9999)).toBe(50002);
  });

  it('answers with the status of the code and the message without the error name', () => {
    expect(confluentErrorOf(new KafkaError('INVALID_CONFIG', 'Invalid value x for configuration retention.ms'))).toEqual({
      status: 400,
      body: { error_code: 40002, message: 'Invalid value x for configuration retention.ms' },
      unexpected: false,
    });
    expect(confluentErrorOf(RestError.clusterNotFound('c9'))).toMatchObject({ status: 404, body: { error_code: 404 } });
    expect(confluentErrorOf(new KafkaError('ELECTION_NOT_NEEDED', 'Leader election not needed for topic orders partition 0'))).toMatchObject({ status: 409, body: { error_code: 40901 } });
    expect(confluentErrorOf(new LocalClusterError(2, 'not-hosted', 'broker 2 is not hosted by this process'))).toEqual({
      status: 409,
      body: { error_code: 40902, message: 'broker 2 is not hosted by this process' },
      unexpected: false,
    });
    expect(confluentErrorOf(new LocalClusterError(2, 'already-running', 'broker 2 is already running'))).toMatchObject({ status: 409, body: { error_code: 40901 } });
    expect(confluentErrorOf(new Error('boom'))).toEqual({
      status: 500,
      body: { error_code: 500, message: 'Internal server error' },
      unexpected: true,
    });
  });
});

import kafkajs, { type Kafka, type RetryOptions } from 'kafkajs';
import { registerKafkajsCodecs } from '../../libs/broker-core/src/log/batch/testing/kafkajs-record-batch.js';

/**
 * A quiet kafkajs client bootstrapped from every broker of a multi-process cluster
 * (test/support/kafkajs.ts takes one address), so it can start while any of them is down.
 */
export function clusterKafkaClient(brokers: readonly string[], retry: RetryOptions, clientId = 'weir-cluster-e2e'): Kafka {
  registerKafkajsCodecs();
  return new kafkajs.Kafka({ clientId, brokers: [...brokers], logLevel: kafkajs.logLevel.NOTHING, retry, connectionTimeout: 3000, requestTimeout: 10_000 });
}

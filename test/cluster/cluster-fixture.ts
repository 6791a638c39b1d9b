import type { Producer, RetryOptions } from 'kafkajs';
import { clusterKafkaClient } from '../support/cluster-kafkajs.js';
import { ProcessCluster, type ProcessClusterOptions } from '../support/cluster-processes.js';

export interface ClusterFixture {
  readonly cluster: ProcessCluster;
  /** A connected kafkajs producer (no topic auto-creation), when the fixture was asked for one. */
  readonly producer: Producer;
}

/**
 * Registers a describe block's beforeAll/afterAll: a ProcessCluster started once for the
 * block (and, with `producerRetry`, a connected kafkajs producer bootstrapped from every
 * broker), both closed afterwards whatever happened.
 */
export function processClusterFixture(options: ProcessClusterOptions & { readonly producerRetry?: RetryOptions }): ClusterFixture {
  let cluster: ProcessCluster | undefined;
  let producer: Producer | undefined;
  beforeAll(async () => {
    cluster = await ProcessCluster.start(options);
    if (options.producerRetry !== undefined) {
      producer = clusterKafkaClient(cluster.kafkaAddresses, options.producerRetry).producer({ allowAutoTopicCreation: false });
      await producer.connect();
    }
  }, 120_000);
  afterAll(async () => {
    await producer?.disconnect();
    await cluster?.close();
  }, 60_000);
  return {
    get cluster() {
      if (cluster === undefined) throw new Error('the cluster has not started');
      return cluster;
    },
    get producer() {
      if (producer === undefined) throw new Error('this fixture has no producer (producerRetry not given)');
      return producer;
    },
  };
}

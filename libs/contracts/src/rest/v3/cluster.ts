import { z } from 'zod';
import { collectionSchema, relationshipSchema, resourceSchema } from './resource.js';

export const clusterDataSchema = resourceSchema('KafkaCluster', {
  cluster_id: z.string(),
  /** Weir: the cluster's health resource (brokers online, under-replicated and offline partitions). */
  health: relationshipSchema,
  controller: relationshipSchema.optional(),
  acls: relationshipSchema,
  brokers: relationshipSchema,
  broker_configs: relationshipSchema,
  consumer_groups: relationshipSchema,
  topics: relationshipSchema,
  partition_reassignments: relationshipSchema,
});
export type ClusterData = z.infer<typeof clusterDataSchema>;

export const clusterDataListSchema = collectionSchema('KafkaClusterList', clusterDataSchema);
export type ClusterDataList = z.infer<typeof clusterDataListSchema>;

export const brokerStatusSchema = z.enum(['online', 'shutting_down', 'offline']);
export type BrokerStatusName = z.infer<typeof brokerStatusSchema>;

/**
 * Confluent's BrokerData plus Weir's view of the broker in the cluster. An offline broker
 * (named by replica assignments, not registered) has no host, port or rack.
 */
export const brokerDataSchema = resourceSchema('KafkaBroker', {
  cluster_id: z.string(),
  broker_id: z.number().int(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  rack: z.string().nullable(),
  configs: relationshipSchema,
  partition_replicas: relationshipSchema,
  /** Weir: registered (online), registered and in a controlled shutdown, or not registered. */
  status: brokerStatusSchema,
  /** Weir: this broker holds /controller. */
  is_controller: z.boolean(),
  /** Weir: partitions this broker currently leads. */
  partitions_led: z.number().int(),
  /** Weir: partition replicas assigned to this broker. */
  replicas: z.number().int(),
  /** Weir: replicas of this broker outside their partition's ISR. */
  out_of_sync_replicas: z.number().int(),
  /** Weir: bytes in the broker's partition logs; null unless the broker runs in the answering process. */
  log_dir_size_bytes: z.number().int().nullable(),
  /** Weir: the broker is hosted by the process answering, which can stop and start it. */
  hosted_here: z.boolean(),
});
export type BrokerData = z.infer<typeof brokerDataSchema>;

export const brokerDataListSchema = collectionSchema('KafkaBrokerList', brokerDataSchema);
export type BrokerDataList = z.infer<typeof brokerDataListSchema>;

/** Weir: partition counts across the cluster, as Kafka's controller metrics count them. */
export const clusterHealthDataSchema = resourceSchema('KafkaClusterHealth', {
  cluster_id: z.string(),
  /** null while no broker holds /controller. */
  controller_id: z.number().int().nullable(),
  controller_epoch: z.number().int(),
  brokers_online: z.number().int(),
  brokers_offline: z.number().int(),
  partitions_count: z.number().int(),
  /** ISR smaller than the replica list (Kafka's UnderReplicatedPartitions). */
  under_replicated_partitions: z.number().int(),
  /** ISR smaller than min.insync.replicas: acks=all produce fails (UnderMinIsrPartitionCount). */
  under_min_isr_partitions: z.number().int(),
  /** No live leader (OfflinePartitionsCount). */
  offline_partitions: z.number().int(),
});
export type ClusterHealthData = z.infer<typeof clusterHealthDataSchema>;

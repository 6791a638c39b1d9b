import { z } from 'zod';
import { collectionSchema, relationshipSchema, resourceSchema } from './resource.js';

export const clusterDataSchema = resourceSchema('KafkaCluster', {
  cluster_id: z.string(),
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

export const brokerDataSchema = resourceSchema('KafkaBroker', {
  cluster_id: z.string(),
  broker_id: z.number().int(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  rack: z.string().nullable(),
  configs: relationshipSchema,
  partition_replicas: relationshipSchema,
});
export type BrokerData = z.infer<typeof brokerDataSchema>;

export const brokerDataListSchema = collectionSchema('KafkaBrokerList', brokerDataSchema);
export type BrokerDataList = z.infer<typeof brokerDataListSchema>;

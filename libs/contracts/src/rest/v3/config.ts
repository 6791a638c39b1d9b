import { z } from 'zod';
import { collectionSchema, resourceSchema } from './resource.js';

export const configSourceSchema = z.enum([
  'DYNAMIC_CLUSTER_LINK_CONFIG',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'UNKNOWN',
]);
export type ConfigSource = z.infer<typeof configSourceSchema>;

export const configSynonymDataSchema = z.object({
  name: z.string(),
  value: z.string().nullable(),
  source: configSourceSchema,
});

/** A topic config; `value` is null for a sensitive config, as Kafka never reveals those. */
export const topicConfigDataSchema = resourceSchema('KafkaTopicConfig', {
  cluster_id: z.string(),
  topic_name: z.string(),
  name: z.string(),
  value: z.string().nullable(),
  is_default: z.boolean(),
  is_read_only: z.boolean(),
  is_sensitive: z.boolean(),
  source: configSourceSchema,
  synonyms: z.array(configSynonymDataSchema),
});
export type TopicConfigData = z.infer<typeof topicConfigDataSchema>;

export const topicConfigDataListSchema = collectionSchema('KafkaTopicConfigList', topicConfigDataSchema);
export type TopicConfigDataList = z.infer<typeof topicConfigDataListSchema>;

/** PUT .../configs/{name}: a null value reverts the config to its default, as DELETE does. */
export const updateConfigRequestSchema = z.object({ value: z.string().nullable() });
export type UpdateConfigRequest = z.infer<typeof updateConfigRequestSchema>;

export const alterConfigOperationSchema = z.enum(['SET', 'DELETE']);

/**
 * POST .../configs:alter: SET (the default) needs a value; DELETE reverts to the default.
 * All entries are validated before any is applied.
 */
export const alterConfigBatchRequestSchema = z
  .object({
    data: z
      .array(
        z.object({
          name: z.string().min(1),
          value: z.string().nullable().optional(),
          operation: alterConfigOperationSchema.nullable().optional(),
        }),
      )
      .min(1),
    validate_only: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    for (const [index, entry] of body.data.entries()) {
      if ((entry.operation ?? 'SET') === 'SET' && (entry.value === undefined || entry.value === null)) {
        ctx.addIssue({ code: 'custom', path: ['data', index, 'value'], message: `Config ${entry.name}: SET needs a value` });
      }
      if (seen.has(entry.name)) {
        ctx.addIssue({ code: 'custom', path: ['data', index, 'name'], message: `Config ${entry.name} is given twice` });
      }
      seen.add(entry.name);
    }
  });
export type AlterConfigBatchRequest = z.infer<typeof alterConfigBatchRequestSchema>;

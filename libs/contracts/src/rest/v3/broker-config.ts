import { z } from 'zod';
import { topicConfigDataSchema } from './config.js';
import { collectionSchema, resourceSchema } from './resource.js';

/**
 * A broker's config (GET .../brokers/{broker_id}/configs): the fields of a topic config
 * (value null when sensitive, default flag, source, synonyms), for a broker instead of a
 * topic. Weir's broker settings are fixed at start-up, hence read-only.
 */
export const brokerConfigDataSchema = resourceSchema('KafkaBrokerConfig', {
  ...topicConfigDataSchema.omit({ kind: true, metadata: true, topic_name: true }).shape,
  broker_id: z.number(),
});
export type BrokerConfigData = z.infer<typeof brokerConfigDataSchema>;

export const brokerConfigDataListSchema = collectionSchema('KafkaBrokerConfigList', brokerConfigDataSchema);
export type BrokerConfigDataList = z.infer<typeof brokerConfigDataListSchema>;

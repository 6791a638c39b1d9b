import { z } from 'zod';

/** Kafka's limit: 249 characters, so that `<topic>-<partition>` still fits a file name. */
export const MAX_TOPIC_NAME_LENGTH = 249;

/** A Kafka topic name: 1-249 of `[a-zA-Z0-9._-]`, and neither `.` nor `..`. */
export const topicNameSchema = z
  .string()
  .min(1, 'Topic name is empty')
  .max(MAX_TOPIC_NAME_LENGTH, `Topic name is longer than ${MAX_TOPIC_NAME_LENGTH} characters`)
  .regex(/^[a-zA-Z0-9._-]+$/, 'Topic name may contain only ASCII letters, digits, ".", "_" and "-"')
  .refine((name) => name !== '.' && name !== '..', 'Topic name cannot be "." or ".."');

export type TopicName = z.infer<typeof topicNameSchema>;

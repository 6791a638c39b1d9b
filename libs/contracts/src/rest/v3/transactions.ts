import { z } from 'zod';
import { collectionSchema, relationshipSchema, resourceSchema } from './resource.js';

/**
 * Weir's transactions resources (Kafka's ListTransactions, DescribeTransactions and
 * DescribeProducers, and an admin's abort), in the v3 style: snake_case fields, ids and
 * offsets as JSON numbers (producer ids are allocated upwards from 0, far below 2^53).
 */

/** The transaction coordinator's states, under Kafka's own names (as kafka-transactions.sh prints them). */
export const transactionStateSchema = z.enum(['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence']);
export type TransactionStateName = z.infer<typeof transactionStateSchema>;

/** A transaction is open (holds the LSO of its partitions back) in these states. */
export const OPEN_TRANSACTION_STATES: readonly TransactionStateName[] = ['Ongoing', 'PrepareCommit', 'PrepareAbort', 'PrepareEpochFence'];

export const transactionPartitionSchema = z.object({ topic_name: z.string(), partition_id: z.number().int() });

export const transactionDataSchema = resourceSchema('KafkaTransaction', {
  cluster_id: z.string(),
  transactional_id: z.string(),
  producer_id: z.number().int(),
  producer_epoch: z.number().int(),
  state: transactionStateSchema,
  transaction_timeout_ms: z.number().int(),
  /** When the last transaction started (ISO-8601), null when there was none (Kafka's -1). */
  transaction_start_time: z.string().nullable(),
  /** The same in epoch milliseconds, -1 when there was none. */
  transaction_start_time_ms: z.number().int(),
  /** The coordinator's last change of this id's state (ISO-8601, and epoch ms). */
  last_update_time: z.string().nullable(),
  last_update_time_ms: z.number().int(),
  /** How long the open transaction has run when this answer was built; null when none is open (a completed one has no age). */
  age_ms: z.number().int().nullable(),
  /** Partitions of the open (or completing) transaction. */
  partitions: z.array(transactionPartitionSchema),
  partitions_count: z.number().int(),
  /** The broker coordinating the transactional id. */
  coordinator_id: z.number().int(),
  coordinator: relationshipSchema,
  abort: relationshipSchema,
});
export type TransactionData = z.infer<typeof transactionDataSchema>;

export const transactionDataListSchema = collectionSchema('KafkaTransactionList', transactionDataSchema);
export type TransactionDataList = z.infer<typeof transactionDataListSchema>;

/** Comma-separated values of a query parameter (`?state=Ongoing,PrepareAbort`), each checked by `item`. */
function commaList<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .max(1000)
    .transform((s) => s.split(',').map((v) => v.trim()).filter((v) => v !== ''))
    .pipe(z.array(item));
}

/** Query of the transaction list: Kafka's ListTransactions filters. */
export const transactionListQuerySchema = z.object({
  /** Only these states (comma-separated Kafka names); absent: all. */
  state: commaList(transactionStateSchema).optional(),
  /** Only these producer ids (comma-separated). */
  producer_id: commaList(z.string().regex(/^\d{1,19}$/, 'must be a non-negative integer').transform(BigInt)).optional(),
  /** Only transactions open longer than this (KIP-994). */
  min_duration_ms: z.coerce.number().int().min(0).optional(),
});
export type TransactionListQuery = z.output<typeof transactionListQuerySchema>;

/** A producer's state on one partition (Kafka's DescribeProducers). */
export const producerDataSchema = resourceSchema('KafkaProducer', {
  cluster_id: z.string(),
  topic_name: z.string(),
  partition_id: z.number().int(),
  producer_id: z.number().int(),
  producer_epoch: z.number().int(),
  /** Last sequence written, -1 when none (only coordinator markers). */
  last_sequence: z.number().int(),
  /** Max timestamp of its last batch (epoch ms). */
  last_timestamp: z.number().int(),
  coordinator_epoch: z.number().int(),
  /** First offset of its open transaction on this partition, null when none is open. */
  current_transaction_start_offset: z.number().int().nullable(),
});
export type ProducerData = z.infer<typeof producerDataSchema>;

export const producerDataListSchema = collectionSchema('KafkaProducerList', producerDataSchema);
export type ProducerDataList = z.infer<typeof producerDataListSchema>;

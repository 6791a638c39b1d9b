import type { TopicPartitionRef } from '../broker/broker-api.js';

/** InitProducerId as the coordinator takes it: `producerId`/`producerEpoch` -1 unless a v3+ producer recovers its own id (KIP-360). */
export interface InitProducerIdInput {
  /** null: an idempotent producer without transactions (a bare producer id at epoch 0). */
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export interface InitProducerIdResult {
  readonly errorCode: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/** The producer a transactional request speaks for. */
export interface TxnProducer {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export interface AddPartitionsInput extends TxnProducer {
  readonly partitions: readonly TopicPartitionRef[];
}

export interface AddOffsetsInput extends TxnProducer {
  readonly groupId: string;
}

export interface EndTxnInput extends TxnProducer {
  /** true: commit; false: abort. */
  readonly committed: boolean;
}

export type TxnResult = 'COMMIT' | 'ABORT';

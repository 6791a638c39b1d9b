export { ProducerIdManager, ProducerIdBlockZNode, PRODUCER_ID_BLOCK_PATH, type ProducerIdBlock } from './producer-id-manager.js';
export { TransactionCoordinator, transactionCoordinatorOf, type TransactionCoordinatorContext } from './transaction-coordinator.js';
export { TRANSACTION_DEFAULTS, resolveTransactionDefaults, type TransactionDefaults } from './transaction-defaults.js';
export { TRANSACTION_STATE_TOPIC, decodeTransactionLogKey, decodeTransactionLogValue, encodeTransactionLogKey, encodeTransactionLogValue, type TransactionLogValue } from './transaction-log-record.js';
export { partitionForTransactionalId } from './transaction-topic.js';
export type { TxnMarkerWriter } from './txn-marker-channel.js';
export type { AddOffsetsInput, AddPartitionsInput, EndTxnInput, InitProducerIdInput, InitProducerIdResult, TxnProducer } from './txn-requests.js';

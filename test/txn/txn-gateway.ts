import { GatewayChild } from '../support/gateway-child.js';

/**
 * Gateway settings for the transaction suites: groups rebalance without the initial
 * delay (readers and workers join at once), the coordinator looks for timed-out
 * transactions every 200 ms instead of every 10 s, and `__transaction_state` is small
 * (5 partitions, one replica: one broker).
 */
export const TXN_GATEWAY_ENV: Readonly<Record<string, string>> = {
  WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  WEIR_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS: '200',
  WEIR_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '5',
  WEIR_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
};

/**
 * A one-broker gateway process for the transaction suites: TXN_GATEWAY_ENV and a 3 s
 * registry session, so that a restart after SIGKILL waits out a short lease.
 */
export function startTxnGateway(dataDir: string, readyWithinMs: number): Promise<GatewayChild> {
  return GatewayChild.start(dataDir, { ...TXN_GATEWAY_ENV, WEIR_SESSION_TIMEOUT_MS: '3000' }, readyWithinMs);
}

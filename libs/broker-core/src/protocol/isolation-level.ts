import type { IsolationLevel } from '../broker/broker-api.js';

/** Fetch's and ListOffsets' isolation_level field (KIP-98): 0 read_uncommitted, 1 read_committed. */
export const READ_UNCOMMITTED = 0;
export const READ_COMMITTED = 1;

/** Any value other than 1 reads uncommitted, as Kafka's IsolationLevel.forId treats only 0 and 1 (others are refused there). */
export function isolationFromWire(level: number): IsolationLevel {
  return level === READ_COMMITTED ? 'read_committed' : 'read_uncommitted';
}

export function isolationToWire(isolation: IsolationLevel | undefined): number {
  return isolation === 'read_committed' ? READ_COMMITTED : READ_UNCOMMITTED;
}

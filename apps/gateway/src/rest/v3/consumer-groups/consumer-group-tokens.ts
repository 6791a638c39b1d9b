import type { OffsetResetAuditSink } from '@weir/broker-core';

/** The in-memory lag history (LagHistory) the gateway samples on its timer. */
export const LAG_HISTORY = Symbol('LAG_HISTORY');

/** Where applied offset resets are recorded (W10's audit log); a no-op until then. */
export const OFFSET_RESET_AUDIT = Symbol('OFFSET_RESET_AUDIT');
export type { OffsetResetAuditSink };

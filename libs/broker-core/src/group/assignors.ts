import type { Assignor } from './assignor.js';
import { assignRange } from './range-assignor.js';
import { assignRoundRobin } from './roundrobin-assignor.js';
import { assignCooperativeSticky, assignSticky } from './sticky-assignor.js';

/**
 * The server-side assignors by the protocol names consumers put in JoinGroup (Kafka's
 * `partition.assignment.strategy` names), for the coordinator to pick the one every member
 * supports. "cooperative-sticky" is the only one that supports cooperative rebalancing.
 */
export const ASSIGNORS = {
  range: assignRange,
  roundrobin: assignRoundRobin,
  sticky: assignSticky,
  'cooperative-sticky': assignCooperativeSticky,
} as const satisfies Record<string, Assignor>;

export type AssignorName = keyof typeof ASSIGNORS;

export function assignorFor(name: string): Assignor | undefined {
  return Object.hasOwn(ASSIGNORS, name) ? ASSIGNORS[name as AssignorName] : undefined;
}
